"""From a locked U-KEY (SW 6983) to the new PIN verified on the card through the reader,
in Chromium, one test per real-time family: the pages, the QR code opened on a phone-sized
page, the certificate helper (szca-assistant) and pyscard → pcscd → vpcd → the card."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from emulator.mock_providers.client import ProviderControl
from emulator.personas import Scenario
from emulator.testing.browser import Screens
from emulator.testing.keys import NEW_PIN, ReaderKey
from emulator.testing.portal import Portal
from emulator.testing.portal_pages import (
    ResultPage,
    UnlockDialog,
    VerificationPage,
    open_realtime_order,
    org_until_enterprise_check,
    scan_qr,
    verify_face_on_phone,
)

pytestmark = pytest.mark.pcsc


def _unlock_and_check(page: Page, key: ReaderKey, order_no: str, serial: str,
                      screens: Screens | None = None) -> None:
    shoot = screens.shoot if screens else lambda *_: None
    ResultPage(page).expect_shown(order_no)
    shoot(page, "result")
    dialog = UnlockDialog(page)
    dialog.open()
    shoot(page, "unlock-dialog")
    dialog.set_pin(NEW_PIN)
    dialog.expect_unlocked()
    shoot(page, "unlocked")
    key.assert_unlocked_with(NEW_PIN, serial)
    page.goto(f"{page.url.split('/orders/')[0]}/orders/{order_no}")
    expect(page.locator("#order-state")).to_have_text("已解锁")
    shoot(page, "order")


def _org_until_enterprise(page: Page, portal: Portal, scenario: Scenario,
                          control: ProviderControl, screens: Screens | None = None
                          ) -> tuple[str, VerificationPage]:
    return org_until_enterprise_check(page, portal.base_url, control,
                                      scenario.certificate("org"),
                                      screens.shoot if screens else None)


def test_org_rt_legal_face(page: Page, portal: Portal, scenario: Scenario,
                           mock_providers: ProviderControl,
                           pcsc_locked_key: Callable[[str], ReaderKey]) -> None:
    """ORG-RT with 8a 法人人脸验证."""
    key = pcsc_locked_key("org")
    assert key.is_blocked()
    assert key.reader
    portal.start_assistant(key.reader)
    # reports/screens/: one full-page screenshot per page of the run, each page (授权委托书,
    # the 立即解锁 pop-up, the order's detail, ...) also checked with axe-core
    screens = Screens(accessibility=True)
    order_no, enterprise = _org_until_enterprise(page, portal, scenario, mock_providers,
                                                 screens)
    face_url = enterprise.start_face()
    screens.shoot(page, "legal-rep-face-qr")
    mock_providers.complete_face(face_url, "pass")
    expect(page).to_have_url(re.compile(f"/orders/{order_no}/result$"), timeout=15_000)
    _unlock_and_check(page, key, order_no, scenario.certificate("org").serial_hex, screens)
    assert len(screens.taken) == 12


def test_org_rt_corporate_deposit(page: Page, portal: Portal, scenario: Scenario,
                                  mock_providers: ProviderControl,
                                  pcsc_locked_key: Callable[[str], ReaderKey]) -> None:
    """ORG-RT with 8d 企业对公打款: the code is read off the company's bank statement."""
    key = pcsc_locked_key("org")
    assert key.is_blocked() and key.reader
    portal.start_assistant(key.reader)
    order_no, enterprise = _org_until_enterprise(page, portal, scenario, mock_providers)
    account = scenario.certificate("org").company.account  # type: ignore[union-attr]
    page.get_by_label("验证方式").select_option(label="企业对公打款")
    enterprise.start_deposit(account.bank, account.branch, account.account_no)
    enterprise.submit_deposit_code(mock_providers.deposit_code(account.account_no, order_no))
    expect(page).to_have_url(re.compile(f"/orders/{order_no}/result$"))
    _unlock_and_check(page, key, order_no, scenario.certificate("org").serial_hex)


def test_per_rt_natural_person_face_on_a_phone(
        page: Page, browser: Browser, portal: Portal, scenario: Scenario,
        mock_providers: ProviderControl, pcsc_locked_key: Callable[[str], ReaderKey]) -> None:
    """PER-RT 自然人证书 with 5a 人脸验证: the QR code is scanned and opened on a phone-sized
    page (the provider's H5 page), which sends the phone back to the portal's own
    face-done page; the desktop page follows by itself."""
    persona, holder = scenario.certificate("natural"), scenario.people["citizen"]
    key = pcsc_locked_key("natural")
    assert key.is_blocked() and key.reader
    portal.start_assistant(key.reader)
    order_no = open_realtime_order(page, portal.base_url, mock_providers, holder.mobile,
                                   persona.serial_hex)
    identity = VerificationPage(page)
    expect(page.get_by_label("验证方式")).to_have_value("face")  # the manual's default
    identity.fill("申请人姓名", holder.name, "身份证号码", holder.id_number, "人脸验证")
    identity.start_face()
    verify_face_on_phone(browser, scan_qr(page), mock_providers.base_url, portal.base_url)
    expect(page).to_have_url(re.compile(f"/orders/{order_no}/result$"), timeout=15_000)
    _unlock_and_check(page, key, order_no, persona.serial_hex)


def test_per_rt_organisation_personal_bank(
        page: Page, portal: Portal, scenario: Scenario, mock_providers: ProviderControl,
        pcsc_locked_key: Callable[[str], ReaderKey]) -> None:
    """PER-RT 机构个人证书 with 5c 银行实名认证 (the 59 s countdown after 获取验证码)."""
    persona = scenario.certificate("org_personal")
    holder = persona.holder
    assert holder is not None
    key = pcsc_locked_key("org_personal")
    assert key.is_blocked() and key.reader
    portal.start_assistant(key.reader)
    order_no = open_realtime_order(page, portal.base_url, mock_providers,
                                   persona.applicant_mobile, persona.serial_hex)
    identity = VerificationPage(page)
    identity.fill("申请人姓名", holder.name, "身份证号码", holder.id_number, "银行实名认证")
    identity.sms_check(mock_providers, "手机号", holder.reserved_mobile,
                       bank_card=holder.bank_card or "")
    _unlock_and_check(page, key, order_no, persona.serial_hex)


def test_c6_another_key_is_a_data_conflict_and_nothing_is_reset(
        page: Page, portal: Portal, scenario: Scenario, mock_providers: ProviderControl,
        pcsc_locked_key: Callable[[str], ReaderKey]) -> None:
    """C-6: the order is for one key, the helper sees another: 数据冲突 with the advice to
    refresh, neither key is reset, the order stays unlockable."""
    persona, holder = scenario.certificate("natural"), scenario.people["citizen"]
    own = pcsc_locked_key("natural")
    other = pcsc_locked_key("org_personal")
    assert own.reader and other.reader
    portal.start_assistant(other.reader)  # the second key is the one in the reader
    order_no = open_realtime_order(page, portal.base_url, mock_providers, holder.mobile,
                                   persona.serial_hex)
    identity = VerificationPage(page)
    identity.fill("申请人姓名", holder.name, "身份证号码", holder.id_number, "手机实名认证")
    identity.sms_check(mock_providers, "手机号", holder.mobile)
    ResultPage(page).expect_shown(order_no)
    dialog = UnlockDialog(page)
    dialog.open()
    dialog.set_pin(NEW_PIN)
    dialog.expect_error("数据冲突")
    expect(page.locator("#unlock-error")).to_contain_text("刷新网页")
    assert own.is_blocked() and other.is_blocked()
    page.goto(f"{portal.base_url}/orders/{order_no}")
    expect(page.locator("#order-state")).to_have_text("认证通过")
