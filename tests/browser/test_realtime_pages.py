"""The real-time flows' pages in Chromium up to 恭喜!审核已通过 (the unlock itself:
test_unlock_end_to_end.py)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from emulator.mock_providers.client import ProviderControl
from emulator.personas import Scenario
from emulator.testing.browser import axe_violations, untranslated
from emulator.testing.portal_pages import (
    LetterPage,
    OrganisationPage,
    ResultPage,
    VerificationPage,
    open_realtime_order,
)


def _assert_clean(page: Page) -> None:
    assert axe_violations(page) == []
    assert untranslated(page.locator("body").inner_text()) == []


def test_org_rt_operator_sms_and_legal_face_reach_the_result(
        page: Page, service: str, scenario: Scenario, mock_providers: ProviderControl) -> None:
    persona = scenario.certificate("org")
    company = persona.company
    assert company is not None
    order_no = open_realtime_order(page, service, mock_providers, persona.applicant_mobile,
                                   persona.serial_hex)
    expect(page.locator("[aria-current=step]")).to_have_text("解锁信息确认")
    _assert_clean(page)
    OrganisationPage(page).confirm(company.legal_rep.name, company.legal_rep.id_number)

    operator = VerificationPage(page)
    expect(page.locator("[aria-current=step]")).to_have_text("身份验证")
    operator.fill("经办人姓名", company.operator.name, "身份证号", company.operator.id_number,
                  "手机实名")
    _assert_clean(page)
    operator.sms_check(mock_providers, "手机号", company.operator.mobile)

    LetterPage(page).confirm()

    enterprise = VerificationPage(page)
    expect(page.locator("[aria-current=step]")).to_have_text("企业验证")
    expect(page.get_by_label("法人姓名")).to_have_value(company.legal_rep.name)
    enterprise.fill("法人姓名", company.legal_rep.name, "身份证号", company.legal_rep.id_number,
                    "法人人脸验证")
    face_url = enterprise.start_face()
    _assert_clean(page)
    mock_providers.complete_face(face_url, "pass")
    expect(page).to_have_url(re.compile(f"/orders/{order_no}/result$"), timeout=15_000)
    ResultPage(page).expect_shown(order_no)
    _assert_clean(page)


def test_per_rt_bank_check_with_a_wrong_code_then_the_right_one(
        page: Page, service: str, scenario: Scenario, mock_providers: ProviderControl) -> None:
    persona = scenario.certificate("org_personal")
    holder = persona.holder
    assert holder is not None
    order_no = open_realtime_order(page, service, mock_providers, persona.applicant_mobile,
                                   persona.serial_hex)
    identity = VerificationPage(page)
    expect(page.get_by_label("申请人姓名")).to_have_value(holder.name)
    identity.fill("申请人姓名", holder.name, "身份证号码", holder.id_number, "银行实名认证")
    page.get_by_label("银行卡号").fill(holder.bank_card or "")
    page.get_by_label("手机号", exact=True).fill(holder.reserved_mobile)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("#sms-button")).to_have_text(re.compile(r"^5\ds$"))
    page.get_by_label("验证码", exact=True).fill("000000")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#code-error")).to_contain_text("验证码不正确")
    page.get_by_label("验证码", exact=True).fill(
        mock_providers.sms_code(holder.reserved_mobile, purpose="verification"))
    page.get_by_role("button", name="提交").click()
    ResultPage(page).expect_shown(order_no)


def test_faq1_carrier_mismatch_is_explained_next_to_the_mobile(
        page: Page, service: str, scenario: Scenario, mock_providers: ProviderControl) -> None:
    """FAQ-1: the carrier's real-name records for that mobile differ: said next to the
    mobile field, with where to check them."""
    persona, holder = scenario.certificate("natural"), scenario.people["citizen"]
    open_realtime_order(page, service, mock_providers, holder.mobile, persona.serial_hex)
    identity = VerificationPage(page)
    identity.fill("申请人姓名", holder.name, "身份证号码", holder.id_number, "手机实名认证")
    page.get_by_label("手机号", exact=True).fill(scenario.people["operator"].mobile)
    page.get_by_role("button", name="获取验证码").click()
    error = page.locator("#mobile-error")
    expect(error).to_contain_text("实名信息与您填写的姓名、身份证号不一致")
    expect(error).to_contain_text("APP")
    expect(page.get_by_label("手机号", exact=True)).to_have_attribute("aria-invalid", "true")
    assert mock_providers.sms_messages(scenario.people["operator"].mobile,
                                       purpose="verification") == []
