"""From a locked U-KEY (SW 6983) to the new PIN verified on the card through the reader,
in Chromium, one test per real-time family: the pages, the QR code opened on a phone-sized
page, the certificate helper (szca-assistant) and pyscard → pcscd → vpcd → the card."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from emulator.mock_providers.client import ProviderControl
from emulator.personas import Scenario
from emulator.testing.keys import NEW_PIN, ReaderKey
from emulator.testing.portal import Portal
from emulator.testing.portal_pages import (
    CertificatePage,
    LetterPage,
    OrganisationPage,
    ResultPage,
    UnlockDialog,
    VerificationPage,
    log_in,
)

pytestmark = pytest.mark.pcsc


def _unlock_and_check(page: Page, key: ReaderKey, order_no: str, serial: str) -> None:
    ResultPage(page).expect_shown(order_no)
    dialog = UnlockDialog(page)
    dialog.open()
    dialog.set_pin(NEW_PIN)
    dialog.expect_unlocked()
    key.assert_unlocked_with(NEW_PIN, serial)
    page.goto(f"{page.url.split('/orders/')[0]}/orders/{order_no}")
    expect(page.locator("#order-state")).to_have_text("已解锁")


def _org_until_enterprise(page: Page, portal: Portal, scenario: Scenario,
                          control: ProviderControl) -> tuple[str, VerificationPage]:
    persona = scenario.certificate("org")
    company = persona.company
    assert company is not None
    log_in(page, portal.base_url, control, persona.applicant_mobile, accept=True)
    certificates = CertificatePage(page)
    certificates.look_up(persona.serial_hex)
    order_no = certificates.choose_realtime()
    OrganisationPage(page).confirm(company.legal_rep.name, company.legal_rep.id_number)
    operator = VerificationPage(page)
    operator.fill("经办人姓名", company.operator.name, "身份证号", company.operator.id_number,
                  "手机实名")
    operator.sms_check(control, "手机号", company.operator.mobile)
    LetterPage(page).confirm()
    enterprise = VerificationPage(page)
    enterprise.fill("法人姓名", company.legal_rep.name, "身份证号", company.legal_rep.id_number,
                    "法人人脸验证")
    return order_no, enterprise


def test_org_rt_legal_face(page: Page, portal: Portal, scenario: Scenario,
                           mock_providers: ProviderControl,
                           pcsc_locked_key: Callable[[str], ReaderKey]) -> None:
    """ORG-RT with 8a 法人人脸验证."""
    key = pcsc_locked_key("org")
    assert key.is_blocked()
    assert key.reader
    portal.start_assistant(key.reader)
    order_no, enterprise = _org_until_enterprise(page, portal, scenario, mock_providers)
    face_url = enterprise.start_face()
    mock_providers.complete_face(face_url, "pass")
    expect(page).to_have_url(re.compile(f"/orders/{order_no}/result$"), timeout=15_000)
    _unlock_and_check(page, key, order_no, scenario.certificate("org").serial_hex)


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
