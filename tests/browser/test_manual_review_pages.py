"""PER-MR in Chromium, the applicant's pages (the reviewer's part through the staff API):
人工审核解锁 from the certificate page, 录入信息 with an error in place, 打印申请表, uploads
with refusals shown in place and nothing stored, 提交 with the deadline, a rejection read
through 我的业务单 → 编辑, a replaced file, 重新提交, and after approval 审核通过 with 解锁."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from emulator.mock_providers.client import ProviderControl
from emulator.personas import Scenario
from emulator.testing.api import Api
from emulator.testing.browser import axe_violations, untranslated
from emulator.testing.documents import photo
from emulator.testing.portal_pages import CertificatePage, ManualReviewPage, log_in

REVIEWER, PASSWORD = "reviewer1", "Szca-Review-2026"  # emulator/scenarios/default.yaml


def _assert_clean(page: Page) -> None:
    assert axe_violations(page) == []
    assert untranslated(page.locator("body").inner_text()) == []


def _reviewer(api: Api) -> Api:
    login = api.ok("POST", "/staff/login", json={"username": REVIEWER, "password": PASSWORD})
    api.token = login["token"]
    return api


def test_natural_person_manual_review_from_certificate_to_unlock(
        page: Page, service: str, scenario: Scenario, api_factory: Callable[[], Api],
        mock_providers: ProviderControl) -> None:
    persona = scenario.certificate("natural")
    holder = persona.holder
    assert holder is not None
    log_in(page, service, mock_providers, holder.mobile, accept=True)
    CertificatePage(page).look_up(persona.serial_hex)
    page.get_by_role("button", name="人工审核解锁").click()
    expect(page).to_have_url(re.compile(r"/orders/\w+/manual$"))
    order_no = re.search(r"/orders/(\w+)/manual", page.url).group(1)  # type: ignore[union-attr]
    bar = page.get_by_role("navigation", name="办理进度")
    expect(bar.get_by_role("listitem")).to_have_text(
        ["解锁介绍", "证书选择", "录入信息", "打印申请表", "上传资料"])
    expect(bar.locator("[aria-current=step]")).to_have_text("录入信息")
    expect(page.get_by_role("link", name="打印申请表")).to_have_count(0)  # nothing saved yet
    _assert_clean(page)

    manual = ManualReviewPage(page)
    # a missing field: refused at its input, what was typed kept, nothing saved
    manual.fill({"申请人姓名": holder.name, "身份证号码": holder.id_number, "移动电话": ""})
    expect(page.get_by_label("移动电话", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#applicant_mobile-error")).not_to_be_empty()
    expect(page.get_by_label("申请人姓名")).to_have_value(holder.name)
    expect(page.get_by_role("link", name="打印申请表")).to_have_count(0)
    _assert_clean(page)
    manual.fill({"移动电话": holder.mobile})
    expect(bar.locator("[aria-current=step]")).to_have_text("打印申请表")

    # 打印申请表: what to sign, and the PDF the link opens (inline; 下载申请表 saves it)
    expect(page.get_by_text("表格必须申请人手写签名，补充申请日期")).to_be_visible()
    link = page.get_by_role("link", name="打印申请表")
    expect(link).to_have_attribute("target", "_blank")
    pdf = page.request.get(f"{service}{link.get_attribute('href')}")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF-")
    assert pdf.headers["content-disposition"].startswith("inline")
    page.reload()
    expect(bar.locator("[aria-current=step]")).to_have_text("上传资料")

    # the rule shown before upload; a text file renamed .jpg and an empty file refused in place
    expect(page.locator("#id_scan-hint")).to_contain_text("大小不超过2M")
    manual.upload("id_scan", "scan.jpg", "这不是图片,只是改了扩展名的文本".encode())
    manual.expect_refused("id_scan", "仅支持jpg、JPEG、bmp、gif、pdf格式")
    expect(page.get_by_label(re.compile("身份证扫描件文件"))).to_have_attribute(
        "aria-invalid", "true")
    _assert_clean(page)
    manual.upload("id_in_hand", "empty.jpg", b"")
    manual.expect_refused("id_in_hand", "空文件")
    page.reload()  # nothing was stored for either slot
    expect(page.locator(".uploaded")).to_have_count(0)

    manual.upload("id_scan", "身份证.jpg", photo("scan"))
    manual.expect_uploaded("id_scan", "身份证.jpg")
    manual.upload("id_in_hand", "手持.jpg", photo("hand"))
    manual.expect_uploaded("id_in_hand", "手持.jpg")
    _assert_clean(page)
    manual.submit()
    expect(page.locator("#deadline")).to_contain_text("三个工作日内")
    expect(page.get_by_role("button", name="提交")).to_have_count(0)
    _assert_clean(page)

    reviewer = _reviewer(api_factory())
    reviewer.ok("POST", f"/staff/reviews/{order_no}/reject",
                json={"reason_codes": ["HANDHELD_PHOTO_ILLEGIBLE"],
                      "detail": "手持照片模糊,请重新拍摄"})

    # 我的业务单 → 编辑: the reasons, a replaced file, 重新提交
    page.get_by_role("link", name="个人中心 · 我的业务单").click()
    row = page.get_by_role("row").filter(has_text=order_no)
    expect(row).to_contain_text("审核驳回")
    row.get_by_role("link", name=re.compile("编辑")).click()
    reasons = page.locator("#rejection-reasons")
    expect(reasons).to_contain_text("手持身份证照片不清晰")
    expect(reasons).to_contain_text("手持照片模糊,请重新拍摄")
    expect(page.locator("#order-state")).to_have_text("审核驳回")
    _assert_clean(page)
    manual.upload("id_in_hand", "重拍.jpg", photo("again"))
    manual.expect_uploaded("id_in_hand", "重拍.jpg")
    manual.submit()
    assert reviewer.ok("GET", f"/staff/reviews/{order_no}")["order"]["state"] == "submitted"

    reviewer.ok("POST", f"/staff/reviews/{order_no}/approve", json={"note": None})
    page.goto(f"{service}/orders/{order_no}")
    expect(page.locator("#order-state")).to_have_text("审核通过")
    expect(page.get_by_role("link", name="解锁", exact=True)).to_be_visible()
    _assert_clean(page)
