from datetime import datetime
from io import BytesIO

import pytest
from PIL import Image
from pypdf import PdfReader
from pyzbar.pyzbar import decode

from szca_unlock.documents.application_form import (
    ApplicationFormData,
    CertificateInfo,
    OrganisationInfo,
    PersonInfo,
    render_application_form,
)
from szca_unlock.domain.certificates import CertificateKind

ORDER = "SZCA202506180001"
SUBJECT = ("CN=深圳市前海示例数字科技有限公司, OU=91440300MA5DC6QX9X, "
           "O=深圳市前海示例数字科技有限公司, L=深圳市, ST=广东省, C=CN")
ORG = OrganisationInfo(
    name="深圳市前海示例数字科技有限公司", id_number="91440300MA5DC6QX9X",
    province="广东省", city="深圳市", address="深圳市南山区粤海街道高新南七道数字技术园B1栋3楼",
)
OPERATOR = PersonInfo(name="欧阳晓明", id_number="11010519491231002X", mobile="13800138000",
                      title="财务经理", email="finance@example.com.cn")


def form(kind: CertificateKind, **changes) -> ApplicationFormData:
    org = ORG if kind is CertificateKind.ORG else None
    person = OPERATOR if org else PersonInfo("李四", "440301199003070035", "13912345678")
    values = dict(order_number=ORDER, certificate=CertificateInfo(
        "5F3A9C01D2E4B6A8C0E2F4A6B8D0E2F4", SUBJECT, kind), applicant=person,
        organisation=org, generated_at=datetime(2025, 6, 18, 10, 30))
    values.update(changes)
    return ApplicationFormData(**values)


@pytest.fixture(scope="module")
def org_pdf() -> bytes:
    return render_application_form(form(CertificateKind.ORG))


def test_org_form_prints_every_field(org_pdf, pdf_text):
    text = pdf_text(org_pdf)
    for expected in (
        "数字证书解锁申请表", "机构名称", ORG.name, "机构证件类型", "统一社会信用代码证",
        "机构证件号码", ORG.id_number, "费用（元）0", "省市广东省深圳市", "单位地址", ORG.address,
        "单位经办人姓名欧阳晓明", "身份证号码11010519491231002X", "移动电话13800138000",
        "职务财务经理", "常用联系邮箱finance@example.com.cn",
        "证书序列号5F3A9C01D2E4B6A8C0E2F4A6B8D0E2F4", "证书类型机构证书",
        SUBJECT.replace(" ", ""), f"业务单号：{ORDER}",
    ):
        assert expected in text, expected


def test_org_form_has_signature_date_and_seal_boxes_and_declaration(org_pdf, pdf_text):
    text = pdf_text(org_pdf)
    for expected in ("经办人签名", "日期", "年月日", "单位公章", "申请声明",
                     "并授权上述经办人代为办理", "由本单位承担"):
        assert expected in text, expected


def test_one_a4_page_with_embedded_cjk_fonts(org_pdf):
    reader = PdfReader(BytesIO(org_pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    fonts = reader.pages[0]["/Resources"]["/Font"].values()
    for font in fonts:
        font = font.get_object()
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile3" in descriptor or "/FontFile2" in descriptor, font["/BaseFont"]
        assert "CJKSC" in font["/BaseFont"]


def test_qr_code_on_the_printed_page_decodes_to_the_order_number(org_pdf, render_page):
    page = Image.open(render_page(org_pdf, dpi=150))
    codes = decode(page)
    assert [c.data.decode() for c in codes] == [ORDER]
    # printed in the top-right corner, where a scanner operator expects it
    (code,) = codes
    assert code.rect.left > page.width / 2 and code.rect.top < page.height / 5


def test_natural_person_form_has_no_organisation_or_seal(pdf_text):
    text = pdf_text(render_application_form(form(CertificateKind.NATURAL)))
    assert "申请人姓名李四" in text and "身份证号码440301199003070035" in text
    assert "移动电话13912345678" in text and "证书类型自然人证书" in text
    assert "申请人签名" in text
    assert "单位信息" not in text and "单位公章" not in text and "经办人" not in text


def test_org_personal_form_asks_for_the_seal(pdf_text):
    text = pdf_text(render_application_form(form(CertificateKind.ORG_PERSONAL)))
    assert "证书类型机构个人证书" in text
    assert "单位公章" in text and "机构个人证书须加盖单位公章" in text


def test_long_values_wrap_without_losing_characters(pdf_text):
    address = "深圳市南山区" + "科技园南区高新南七道数字技术园" * 5 + "B1栋3楼301室"
    data = form(CertificateKind.ORG, organisation=OrganisationInfo(
        ORG.name, ORG.id_number, "广东省", "深圳市", address))
    pdf = render_application_form(data)
    assert address in pdf_text(pdf)
    assert len(PdfReader(BytesIO(pdf)).pages) == 1


def test_form_kind_and_sections_must_agree():
    with pytest.raises(ValueError):
        form(CertificateKind.ORG, organisation=None)
    with pytest.raises(ValueError):
        form(CertificateKind.NATURAL, organisation=ORG)
