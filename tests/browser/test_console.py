"""The reviewers' console in Chromium (ORG-MR-9 / PER-MR-7 as CA staff see it): staff login,
the queue, one order with its files, 驳回 with a reason the applicant then reads, 通过 with
the approval SMS; and the console is closed to applicants."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Browser, Page, expect

from emulator.mock_providers.client import ProviderControl
from emulator.personas import Scenario
from emulator.testing.api import Api
from emulator.testing.browser import axe_violations, untranslated
from emulator.testing.documents import photo
from emulator.testing.portal_pages import ConsolePage, log_in

REVIEWER, PASSWORD = "reviewer1", "Szca-Review-2026"  # emulator/scenarios/default.yaml


def _submitted_personal_order(api: Api, scenario: Scenario) -> tuple[str, str]:
    """A 自然人 order submitted for review through the API, as an applicant sends it."""
    persona = scenario.certificate("natural")
    holder = persona.holder
    assert holder is not None
    api.login(holder.mobile)
    order = api.ok("POST", "/orders", json={"certificate_serial": persona.serial_hex,
                                            "mode": "manual"})
    order_no = str(order["order_no"])
    api.ok("PUT", f"/orders/{order_no}/manual/form",
           json={"applicant_name": holder.name, "applicant_id_number": holder.id_number,
                 "applicant_mobile": holder.mobile})
    for slot in ("id_scan", "id_in_hand"):
        answer = api.call("POST", f"/orders/{order_no}/documents/{slot}",
                          files={"file": (f"{slot}.jpg", photo(slot), "image/jpeg")})
        assert answer.status_code == 201, answer.text
    assert api.ok("POST", f"/orders/{order_no}/manual/submit")["order"]["state"] == "submitted"
    return order_no, holder.mobile


def _assert_clean(page: Page) -> None:
    assert axe_violations(page) == []
    assert untranslated(page.locator("body").inner_text()) == []


def test_reviewer_rejects_then_approves_from_the_console(
        page: Page, browser: Browser, service: str, scenario: Scenario,
        api_factory: Callable[[], Api], mock_providers: ProviderControl) -> None:
    applicant = api_factory()
    order_no, mobile = _submitted_personal_order(applicant, scenario)

    ConsolePage(page, service).log_in(REVIEWER, PASSWORD)
    row = page.get_by_role("row").filter(has_text=order_no)
    expect(row).to_contain_text("自然人")
    expect(row).to_contain_text("第1次")
    _assert_clean(page)
    row.get_by_role("link", name=re.compile("审核")).click()

    expect(page.get_by_role("heading", name=f"审核业务单 {order_no}")).to_be_visible()
    expect(page.locator("#order-state")).to_have_text("待审核")
    docs = page.get_by_role("img")
    expect(docs).to_have_count(2)
    for img in docs.all():  # every image really loads (served to the staff cookie)
        img.scroll_into_view_if_needed()  # lazy: loads once on screen
        page.wait_for_function("el => el.complete && el.naturalWidth > 0",
                               arg=img.element_handle(), timeout=15_000)
    _assert_clean(page)
    form = page.request.get(f"{service}/console/reviews/{order_no}/application-form.pdf")
    assert form.status == 200 and form.body().startswith(b"%PDF-")
    # framed by the console's own page only (every other answer: frame-ancestors 'none')
    assert form.headers["content-security-policy"] == "frame-ancestors 'self'"
    assert form.headers["x-frame-options"] == "SAMEORIGIN"

    # 驳回 without a reason is refused in place, nothing decided
    page.get_by_role("button", name="驳回").click()
    expect(page.locator("#reason-error")).not_to_be_empty()
    expect(page.locator("#order-state")).to_have_text("待审核")
    assert applicant.order(order_no)["state"] == "submitted"

    reason = page.get_by_role("group", name=re.compile("驳回原因")).get_by_role("checkbox")
    reason.first.check()
    chosen = reason.first.evaluate("el => el.parentElement.textContent").strip()
    page.get_by_label("补充说明（选填）").fill("证件照片反光,请重新拍摄")
    page.get_by_role("button", name="驳回").click()
    expect(page.get_by_role("status")).to_contain_text(f"业务单 {order_no} 已驳回")
    expect(page.get_by_role("row").filter(has_text=order_no)).to_have_count(0)

    # the applicant reads the reason (API view of 我的业务单 → 编辑) and resubmits
    manual = applicant.ok("GET", f"/orders/{order_no}/manual")
    assert manual["order"]["state"] == "rejected"
    assert manual["rejection"]["detail"] == "证件照片反光,请重新拍摄"
    assert manual["rejection"]["reasons"][0]["label"] in chosen
    answer = applicant.call("POST", f"/orders/{order_no}/documents/id_in_hand",
                            files={"file": ("again.jpg", photo("again"), "image/jpeg")})
    assert answer.status_code == 201, answer.text
    applicant.ok("POST", f"/orders/{order_no}/manual/submit")

    page.goto(f"{service}/console/reviews/{order_no}")
    expect(page.get_by_role("row").filter(has_text="驳回")).not_to_have_count(0)
    page.get_by_role("button", name="通过").click()
    expect(page.get_by_role("status")).to_contain_text(f"业务单 {order_no} 审核通过")
    assert applicant.order(order_no)["state"] == "approved"
    sms = mock_providers.last_sms(mobile)
    assert sms.template_id == "1000003" and order_no in sms.params


def test_the_console_is_closed_to_an_applicant_and_to_a_wrong_password(
        page: Page, service: str, scenario: Scenario,
        mock_providers: ProviderControl) -> None:
    persona = scenario.certificate("natural")
    log_in(page, service, mock_providers, persona.applicant_mobile, accept=True)
    page.goto(f"{service}/console/reviews")  # an applicant's cookie opens no console page
    expect(page).to_have_url(re.compile(r"/console/login\?next="))
    expect(page.get_by_role("table")).to_have_count(0)

    page.get_by_label("用户名").fill(REVIEWER)
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert").filter(has_text=re.compile("用户名或密码"))).not_to_have_count(0)
    page.goto(f"{service}/console/reviews")
    expect(page).to_have_url(re.compile(r"/console/login"))
