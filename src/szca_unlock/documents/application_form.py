"""The 申请表 of ORG-MR-6 (organisation) and PER-MR (personal certificates) as an A4 PDF.

The applicant prints it, the operator signs and dates it by hand, the organisation
stamps it, and it comes back as an upload (ORG-MR-7). Every field the applicant
entered is printed, plus the order number as text and as a QR code so the reviewer
can match a scanned form to its order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fpdf.enums import Align, XPos, YPos

from szca_unlock.documents._pdf import MUTED, SANS, SERIF, Cell, FormPDF
from szca_unlock.domain.certificates import CertificateKind

ISSUER = "深圳市电子商务安全证书管理有限公司"
ORG_ID_TYPE = "统一社会信用代码证"
HOTLINE = "400-112-3838"
QR_SIZE = 27.0


@dataclass(frozen=True, slots=True)
class CertificateInfo:
    serial: str
    subject: str  # the subject DN as shown by the certificate lookup
    kind: CertificateKind


@dataclass(frozen=True, slots=True)
class OrganisationInfo:
    name: str
    id_number: str  # 统一社会信用代码
    province: str
    city: str
    address: str
    id_type: str = ORG_ID_TYPE
    fee_yuan: int = 0  # unlocking is free (manual: 费用(元) 0)


@dataclass(frozen=True, slots=True)
class PersonInfo:
    """The 经办人 of an organisation certificate, or the 申请人 of a personal one."""

    name: str
    id_number: str
    mobile: str
    title: str = ""  # 职务, organisation forms only
    email: str = ""  # 常用联系邮箱, organisation forms only


@dataclass(frozen=True, slots=True)
class ApplicationFormData:
    order_number: str
    certificate: CertificateInfo
    applicant: PersonInfo
    organisation: OrganisationInfo | None
    generated_at: datetime

    def __post_init__(self) -> None:
        if self.is_org and self.organisation is None:
            raise ValueError("an organisation certificate's form needs the organisation")
        if not self.is_org and self.organisation is not None:
            raise ValueError("a personal certificate's form has no organisation section")

    @property
    def is_org(self) -> bool:
        return self.certificate.kind is CertificateKind.ORG


def _declaration(data: ApplicationFormData) -> str:
    who = "本单位" if data.is_org else "本人"
    agent = "，并授权上述经办人代为办理" if data.is_org else ""
    return (
        f"{who}申请对上述数字证书办理解锁（重置U-KEY用户密码）业务{agent}。{who}承诺："
        "所填写的信息和提交的证明材料真实、准确、完整，并已认真阅读且同意接受《电子认证服务协议》"
        "《个人信息授权书》《敏感个人信息授权书》；因信息不实或材料虚假所引起的一切后果及法律责任"
        f"由{who}承担。证书解锁后，{who}将妥善保管U-KEY及新密码，不转借他人使用。"
    )


def _instructions(data: ApplicationFormData) -> tuple[str, ...]:
    if data.is_org:
        sign = "本表须由经办人手写签名、填写申请日期，并加盖单位公章。"
        upload = "签章后扫描或拍照，与加盖单位公章的营业执照复印件一并在网上营业厅上传；"
    else:
        seal = "，机构个人证书须加盖单位公章" if data.certificate.kind.needs_organisation else ""
        sign = f"本表须由申请人手写签名并填写申请日期{seal}。"
        upload = "签字后扫描或拍照，与身份证扫描件等证明材料一并在网上营业厅上传；"
    return (
        sign,
        f"{upload}支持jpg、JPEG、bmp、gif、pdf格式，大小不超过2M。",
        "所有资料需清晰可见；若需加水印，请写明“办理数字证书使用”。",
        "深圳CA将在三个工作日内完成审核，审核结果可在“个人中心→我的业务单”查看。"
        f"咨询电话：{HOTLINE}。",
    )


def _header(pdf: FormPDF, data: ApplicationFormData) -> None:
    top = pdf.get_y()
    qr_x = pdf.l_margin + pdf.content_width - QR_SIZE
    pdf.qr_code(data.order_number, qr_x, top - 2, QR_SIZE)
    pdf.set_font(SANS, size=8.5)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 5, f"{ISSUER}（深圳CA）", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(33, 37, 41)
    pdf.ln(3)
    pdf.set_font(SERIF, "B", 19)
    title_width = pdf.content_width - QR_SIZE - 4
    pdf.cell(title_width, 10, "数字证书解锁申请表", align=Align.C,
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(SANS, size=10)
    pdf.cell(title_width, 6, f"（{data.certificate.kind.label} · 人工审核解锁）", align=Align.C,
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(SANS, "B", 9)
    pdf.set_xy(qr_x - 12, top + QR_SIZE - 3.5)
    pdf.cell(QR_SIZE + 12, 5, f"业务单号：{data.order_number}", align=Align.R)
    pdf.set_xy(pdf.l_margin, max(pdf.get_y() + 6, top + QR_SIZE + 3))
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.content_width, pdf.get_y())
    pdf.set_line_width(0.2)
    pdf.ln(1)


def _organisation_rows(org: OrganisationInfo) -> list[list[Cell]]:
    return [
        [Cell("机构名称", org.name, span=True)],
        [Cell("机构证件类型", org.id_type), Cell("机构证件号码", org.id_number)],
        [Cell("省市", f"{org.province} {org.city}"), Cell("费用（元）", str(org.fee_yuan))],
        [Cell("单位地址", org.address, span=True)],
    ]


def _person_rows(data: ApplicationFormData) -> list[list[Cell]]:
    person = data.applicant
    if data.is_org:
        return [
            [Cell("单位经办人姓名", person.name), Cell("职务", person.title)],
            [Cell("身份证号码", person.id_number), Cell("移动电话", person.mobile)],
            [Cell("常用联系邮箱", person.email, span=True)],
        ]
    return [
        [Cell("申请人姓名", person.name), Cell("移动电话", person.mobile)],
        [Cell("身份证号码", person.id_number, span=True)],
    ]


def _certificate_rows(data: ApplicationFormData) -> list[list[Cell]]:
    cert = data.certificate
    return [
        [Cell("证书序列号", cert.serial, span=True)],
        [Cell("证书主题", cert.subject, span=True)],
        [Cell("证书类型", cert.kind.label), Cell("业务类型", "证书解锁（人工审核）")],
        [Cell("业务单号", data.order_number, span=True)],
    ]


def _signature_boxes(data: ApplicationFormData) -> list[tuple[str, str, float]]:
    signer = "经办人签名" if data.is_org else "申请人签名"
    boxes = [(signer, "（请手写签名）", 1.0), ("日期", "年　　　月　　　日", 1.0)]
    if data.certificate.kind.needs_organisation:
        boxes.append(("单位公章", "（加盖单位公章）", 1.15))
    return boxes


def render_application_form(data: ApplicationFormData) -> bytes:
    """The filled-in form as PDF bytes (A4, one page, fonts embedded and subset)."""
    pdf = FormPDF(
        title=f"数字证书解锁申请表 {data.order_number}",
        footer_text=f"业务单号 {data.order_number} · 生成时间 "
        f"{data.generated_at:%Y-%m-%d %H:%M}",
    )
    pdf.add_page()
    _header(pdf, data)
    number = iter("一二三四五六")
    if data.organisation is not None:
        pdf.section(f"{next(number)}、单位信息")
        pdf.grid(_organisation_rows(data.organisation))
    pdf.section(f"{next(number)}、{'经办人' if data.is_org else '申请人'}信息")
    pdf.grid(_person_rows(data))
    pdf.section(f"{next(number)}、证书信息")
    pdf.grid(_certificate_rows(data))
    pdf.section(f"{next(number)}、申请声明")
    pdf.ln(1.5)
    pdf.paragraph(_declaration(data))
    # personal forms are shorter: give the hand-written parts more room
    pdf.signature_boxes(_signature_boxes(data), height=30 if data.is_org else 40)
    pdf.section(f"{next(number)}、以下由深圳CA填写")
    pdf.grid([[Cell("受理人", ""), Cell("审核日期", "")],
              [Cell("审核意见", "□ 通过　　□ 驳回，原因：", span=True)]], empty="")
    pdf.ln(2)
    pdf.set_font(SANS, "B", 8.5)
    pdf.cell(0, 5, "填表说明", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*MUTED)
    for n, line in enumerate(_instructions(data), start=1):
        pdf.paragraph(f"{n}. {line}", size=8, indent=False)
    return bytes(pdf.output())
