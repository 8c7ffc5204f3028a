"""ORG-MR and PER-MR (medical) end to end in Chromium, from a locked key (SW 6983) to a new
PIN verified on the card through the reader: the applicant's pages in one browser
context, the reviewer's console in a second one, the operator's face check (ORG-MR-8)
through the QR code on a phone-sized page, the approval SMS read on the mock's 短信
inbox page, and 我的业务单 → 解锁 through the certificate helper."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from emulator.mock_providers.client import ProviderControl
from emulator.personas import Scenario
from emulator.testing.browser import axe_violations, untranslated
from emulator.testing.documents import photo
from emulator.testing.keys import NEW_PIN, ReaderKey
from emulator.testing.portal import Portal
from emulator.testing.portal_pages import (
    CertificatePage,
    ConsolePage,
    ManualReviewPage,
    ResultPage,
    UnlockDialog,
    log_in,
    scan_qr,
    second_context,
    verify_face_on_phone,
)

pytestmark = pytest.mark.pcsc
REVIEWER, PASSWORD = "reviewer1", "Szca-Review-2026"  # scenarios/default.yaml


def _assert_clean(page: Page) -> None:
    assert axe_violations(page) == []
    assert untranslated(page.locator("body").inner_text()) == []


def _open_manual_order(page: Page, portal: Portal, control: ProviderControl, mobile: str,
                       serial: str) -> str:
    """C-1 … C-3 and 人工审核解锁: the new order on its manual-review page."""
    log_in(page, portal.base_url, control, mobile, accept=True)
    CertificatePage(page).look_up(serial)
    page.get_by_role("button", name="人工审核解锁").click()
    expect(page).to_have_url(re.compile(r"/orders/\w+/manual$"))
    match = re.search(r"/orders/(\w+)/manual", page.url)
    assert match
    return match.group(1)


def _sms_inbox_shows(browser: Browser, control: ProviderControl, mobile: str,
                     text: str) -> None:
    """What the applicant reads on the phone: the mock's 短信 inbox page for ``mobile``."""
    context = second_context(browser)
    try:
        inbox = context.new_page()
        inbox.goto(f"{control.base_url}/pages/sms/{mobile}")
        newest = inbox.get_by_role("list", name=re.compile("短信")).get_by_role("listitem").first
        expect(newest).to_contain_text(text)
    finally:
        context.close()


def _unlock_from_my_orders(page: Page, portal: Portal, key: ReaderKey, order_no: str,
                           serial: str) -> None:
    """ORG-MR-11 / PER-MR: 个人中心 → 我的业务单 → 解锁, 立即解锁 through the helper; the new
    PIN is then verified on the card through the reader."""
    page.goto(f"{portal.base_url}/orders")
    row = page.get_by_role("row").filter(has_text=order_no)
    expect(row).to_contain_text("审核通过")
    _assert_clean(page)
    row.get_by_role("link", name=re.compile("解锁")).click()
    ResultPage(page).expect_shown(order_no)
    dialog = UnlockDialog(page)
    dialog.open()
    _assert_clean(page)  # the 立即解锁 pop-up
    dialog.set_pin(NEW_PIN)
    dialog.expect_unlocked()
    key.assert_unlocked_with(NEW_PIN, serial)
    page.goto(f"{portal.base_url}/orders/{order_no}")
    expect(page.locator("#order-state")).to_have_text("已解锁")


def test_org_mr_from_form_to_a_new_pin_with_a_rejection_on_the_way(
        page: Page, browser: Browser, portal: Portal, scenario: Scenario,
        mock_providers: ProviderControl,
        pcsc_locked_key: Callable[[str], ReaderKey]) -> None:
    persona = scenario.certificate("org")
    company = persona.company
    assert company is not None
    key = pcsc_locked_key("org")
    assert key.is_blocked() and key.reader
    portal.start_assistant(key.reader)

    order_no = _open_manual_order(page, portal, mock_providers, persona.applicant_mobile,
                                  persona.serial_hex)
    manual = ManualReviewPage(page)
    expect(page.get_by_role("navigation", name="办理进度")).to_have_count(0)  # ORG: no bar
    expect(page.locator("#face-section")).to_contain_text("请先填写并保存经办人信息")
    manual.fill_org(company)
    expect(page.get_by_label("机构名称")).to_have_value(company.name)
    expect(page.get_by_text("表格必须经办人手写签名，补充申请日期，加盖单位公章")).to_be_visible()

    # 打印申请表: the PDF (what is printed, signed and sealed is what is uploaded)
    href = page.get_by_role("link", name="打印申请表").get_attribute("href")
    signed = page.request.get(f"{portal.base_url}{href}")
    assert signed.status == 200 and signed.body().startswith(b"%PDF-")
    manual.upload("application_form", "申请表(已盖章).pdf", signed.body(), "application/pdf")
    expect(page.locator("#slot-application_form .uploaded")).to_contain_text("申请表(已盖章).pdf")
    manual.upload("business_licence", "营业执照.jpg", photo("licence"))
    manual.expect_uploaded("business_licence", "营业执照.jpg")

    # 提交 before ORG-MR-8 is refused, saying what is missing
    expect(page.locator("#missing")).to_contain_text("完成经办人人脸验证")
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.locator("#page-error")).to_contain_text("经办人人脸验证")
    expect(page.locator("#order-state")).to_have_text("已创建")

    # ORG-MR-8: a failed liveness check is shown live, then 重新验证 passes
    manual.start_operator_face()
    _assert_clean(page)
    verify_face_on_phone(browser, scan_qr(page), mock_providers.base_url, portal.base_url,
                         "活体检测未通过")
    manual.expect_face("未通过")
    expect(page.get_by_role("button", name="重新验证")).to_be_visible(timeout=15_000)
    manual.start_operator_face()
    verify_face_on_phone(browser, scan_qr(page), mock_providers.base_url, portal.base_url)
    manual.expect_face("经办人人脸验证通过")
    expect(page.locator("#face-section").get_by_role("img")).to_have_count(0)
    expect(page.locator("#missing")).to_have_count(0)
    manual.submit()
    expect(page.locator("#deadline")).to_contain_text("三个工作日内")

    # the reviewer, in a browser of their own: the face result, 驳回 with a reason
    reviewer_context = second_context(browser)
    try:
        console = ConsolePage(reviewer_context.new_page(), portal.base_url)
        console.log_in(REVIEWER, PASSWORD)
        console.open(order_no)
        expect(console.page.locator("#face-result")).to_contain_text("经办人人脸验证通过")
        _assert_clean(console.page)
        console.reject(order_no, ["营业执照"], "营业执照复印件未加盖公章,请盖章后重新上传")

        # the applicant: 我的业务单 → 编辑, the reasons, the file replaced, 重新提交
        page.get_by_role("link", name="个人中心 · 我的业务单").click()
        row = page.get_by_role("row").filter(has_text=order_no)
        expect(row).to_contain_text("审核驳回")
        row.get_by_role("link", name=re.compile("编辑")).click()
        reasons = page.locator("#rejection-reasons")
        expect(reasons).to_contain_text("营业执照")
        expect(reasons).to_contain_text("营业执照复印件未加盖公章,请盖章后重新上传")
        _assert_clean(page)
        manual.upload("business_licence", "营业执照(盖章).jpg", photo("sealed licence"))
        manual.expect_uploaded("business_licence", "营业执照(盖章).jpg")
        manual.expect_face("经办人人脸验证通过")  # the same operator: the check still holds
        manual.submit()

        console.open(order_no)
        expect(console.page.get_by_text("营业执照(盖章).jpg")).not_to_have_count(0)
        console.approve(order_no)
    finally:
        reviewer_context.close()

    _sms_inbox_shows(browser, mock_providers, company.operator.mobile,
                     order_no)
    _unlock_from_my_orders(page, portal, key, order_no, persona.serial_hex)


def test_per_mr_medical_needs_a_work_id_or_the_hand_held_photo_then_unlocks(
        page: Page, browser: Browser, portal: Portal, scenario: Scenario,
        mock_providers: ProviderControl,
        pcsc_locked_key: Callable[[str], ReaderKey]) -> None:
    """PER-MR for a medical 自然人证书: ID scan + 工作证 (or the hand-held photo); the ID scan
    alone is refused at 提交."""
    persona = scenario.certificate("medical")
    holder = persona.holder
    assert holder is not None
    key = pcsc_locked_key("medical")
    assert key.is_blocked() and key.reader
    portal.start_assistant(key.reader)

    order_no = _open_manual_order(page, portal, mock_providers, holder.mobile,
                                  persona.serial_hex)
    manual = ManualReviewPage(page)
    expect(page.get_by_text(re.compile("医疗类证书可上传身份证扫描件\\+工作证"))).to_be_visible()
    expect(page.locator("#face-section")).to_have_count(0)  # no face check for PER-MR
    manual.fill({"申请人姓名": holder.name, "身份证号码": holder.id_number,
                 "移动电话": holder.mobile})
    expect(page.get_by_role("link", name="打印申请表")).to_be_visible()
    expect(page.get_by_text("表格必须申请人手写签名，补充申请日期。")).to_be_visible()

    # three slots: the ID scan required, 工作证 and 手持身份证 one of the two
    expect(page.locator("#slot-id_scan h3")).to_have_text(re.compile(r"^\*?身份证扫描件$"))
    for slot in ("work_id", "id_in_hand"):
        expect(page.locator(f"#slot-{slot} h3")).to_contain_text("与其他可选项任选其一")
    _assert_clean(page)
    manual.upload("id_scan", "身份证.jpg", photo("scan"))
    manual.expect_uploaded("id_scan", "身份证.jpg")
    expect(page.locator("#missing")).to_contain_text("上传工作证或申请人手持身份证")
    page.get_by_role("button", name="提交", exact=True).click()  # the ID scan alone
    expect(page.locator("#page-error")).to_contain_text("工作证或申请人手持身份证")
    expect(page.locator("#order-state")).to_have_text("已创建")

    manual.upload("work_id", "工作证.jpg", photo("work id"))
    manual.expect_uploaded("work_id", "工作证.jpg")
    expect(page.locator("#missing")).to_have_count(0)
    manual.submit()

    reviewer_context = second_context(browser)
    try:
        console = ConsolePage(reviewer_context.new_page(), portal.base_url)
        console.log_in(REVIEWER, PASSWORD)
        console.open(order_no)
        expect(console.page.get_by_text("工作证.jpg")).not_to_have_count(0)
        console.approve(order_no)
    finally:
        reviewer_context.close()

    _sms_inbox_shows(browser, mock_providers, holder.mobile, order_no)
    _unlock_from_my_orders(page, portal, key, order_no, persona.serial_hex)
