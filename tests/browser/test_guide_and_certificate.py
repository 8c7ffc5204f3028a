"""C-2 / C-3 in Chromium: 解锁指南 (进入解锁 only with both ticks), 证书序列号 + 提交,
实时解锁 / 人工审核解锁, and the lookup's errors in place."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from emulator.personas import Scenario
from emulator.testing.browser import axe_violations
from emulator.testing.portal_pages import LoginPage, log_in


def test_enter_unlock_needs_both_agreements(page: Page, service: str, scenario: Scenario,
                                            mock_providers) -> None:
    log_in(page, service, mock_providers, scenario.certificate("natural").applicant_mobile)
    enter = page.get_by_role("button", name="进入解锁")
    expect(enter).to_be_disabled()
    page.get_by_label("我同意接受《电子认证服务协议》《个人信息授权书》").check()
    expect(enter).to_be_disabled()
    page.get_by_label("我同意接受《敏感个人信息授权书》").check()
    expect(enter).to_be_enabled()
    assert axe_violations(page) == []
    enter.click()
    expect(page).to_have_url(re.compile("/unlock/certificate$"))


def test_serial_lookup_shows_the_certificate_and_both_modes(
        page: Page, service: str, scenario: Scenario, mock_providers) -> None:
    persona = scenario.certificate("natural")
    log_in(page, service, mock_providers, persona.applicant_mobile, accept=True)
    page.get_by_label("证书序列号").fill(persona.serial_hex)
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", name="证书信息")).to_be_visible()
    expect(page.get_by_text(persona.serial_hex, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="实时解锁")).to_be_visible()
    expect(page.get_by_role("button", name="人工审核解锁")).to_be_visible()
    assert axe_violations(page) == []


def test_an_unknown_serial_is_refused_next_to_the_field(
        page: Page, service: str, scenario: Scenario, mock_providers) -> None:
    log_in(page, service, mock_providers, scenario.certificate("natural").applicant_mobile,
           accept=True)
    page.get_by_label("证书序列号").fill("0123456789ABCDEF")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#serial-error")).not_to_be_empty()
    expect(page.get_by_role("button", name="实时解锁")).to_have_count(0)


def test_the_guide_is_not_skipped(page: Page, service: str, scenario: Scenario,
                                  mock_providers) -> None:
    LoginPage(page, service).log_in(mock_providers,
                                    scenario.certificate("natural").applicant_mobile)
    page.goto(f"{service}/unlock/certificate")
    expect(page).to_have_url(re.compile("/unlock/guide$"))
