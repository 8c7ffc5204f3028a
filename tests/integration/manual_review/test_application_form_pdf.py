"""ORG-MR-6: the application form as the applicant downloads it — every field of the form
readable as Chinese text, the order number as text and as a QR code that decodes to it,
rendered once per form revision."""

from __future__ import annotations

import subprocess
from io import BytesIO

from mr_flows import Applicant, org_form, personal_form
from PIL import Image
from pyzbar.pyzbar import decode

from emulator.personas import Scenario
from emulator.testing.api import Api


def pdf_text(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True)
    return done.stdout.decode("utf-8")


def qr_codes(pdf: bytes) -> list[str]:
    png = subprocess.run(["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", "-singlefile",
                          "-"], input=pdf, capture_output=True, check=True).stdout
    return [c.data.decode() for c in decode(Image.open(BytesIO(png)))]


def squeeze(text: str) -> str:
    return "".join(text.split())


def test_org_form_pdf_has_every_field_and_a_qr_of_the_order_number(api: Api,
                                                                   scenario: Scenario) -> None:
    company = scenario.companies["pengcheng"]
    api.login(company.operator.mobile)
    me = Applicant(api)
    order_no = me.open(scenario.certificate("org"))
    form = org_form(company, province="广东省", city="深圳市", operator_title="行政专员",
                    address="深圳市福田区福华三路100号鹏城大厦18楼")
    me.fill(order_no, form)
    pdf = me.pdf(order_no)

    text = squeeze(pdf_text(pdf))
    for value in (order_no, company.name, "统一社会信用代码证", company.uscc, "广东省", "深圳市",
                  squeeze(form["address"]), company.operator.name, company.operator.id_number,
                  company.operator.mobile, "行政专员", form["operator_email"],
                  scenario.certificate("org").serial_hex, "经办人签名", "单位公章"):
        assert value in text, value
    assert order_no in qr_codes(pdf)

    assert me.pdf(order_no) == pdf  # the same revision: the stored bytes, not a re-render
    me.fill(order_no, {**form, "operator_title": "财务经理"})
    revised = me.pdf(order_no)
    assert "财务经理" in squeeze(pdf_text(revised)) and revised != pdf


def test_personal_form_pdf(api: Api, scenario: Scenario) -> None:
    holder = scenario.people["citizen"]
    api.login(holder.mobile)
    me = Applicant(api)
    order_no = me.open(scenario.certificate("natural"))
    assert api.error("GET", f"/orders/{order_no}/manual/application-form.pdf",
                     409)["code"] == "form.missing"
    me.fill(order_no, personal_form(holder))
    pdf = me.pdf(order_no)
    text = squeeze(pdf_text(pdf))
    for value in (order_no, holder.name, holder.id_number, holder.mobile, "申请人签名"):
        assert value in text, value
    assert "单位信息" not in text
    assert qr_codes(pdf) == [order_no]
