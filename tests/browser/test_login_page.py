"""C-1 登录 in Chromium: the 59 s countdown on 获取验证码, errors next to the field, the
session cookie (HttpOnly, SameSite), and the page's accessibility."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from emulator.mock_providers.client import ProviderControl
from emulator.testing.browser import axe_violations

MOBILE = "13800138000"


def test_login_with_the_texted_code(page: Page, service: str,
                                    mock_providers: ProviderControl) -> None:
    page.goto(f"{service}/login")
    expect(page).to_have_title(re.compile("登录"))
    page.get_by_label("手机号码").fill(MOBILE)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("#sms-status")).to_contain_text("验证码已发送至尾号8000的手机")
    sms_button = page.locator("#sms-button")
    expect(sms_button).to_have_text(re.compile(r"^5\ds$"))  # 59s, 58s, ...
    expect(sms_button).to_be_disabled()
    code = re.search(r"验证码为(\d{6})", mock_providers.last_sms(MOBILE).text)
    assert code
    page.get_by_label("验证码").fill(code.group(1))
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile("/unlock/guide$"))
    cookie = next(c for c in page.context.cookies() if c["name"] == "szca_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert page.evaluate("() => document.cookie").find("szca_session") < 0


def test_a_wrong_code_is_shown_next_to_the_code_field(page: Page, service: str) -> None:
    page.goto(f"{service}/login")
    page.get_by_label("手机号码").fill(MOBILE)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("#sms-status")).not_to_be_empty()
    page.get_by_label("验证码").fill("000000")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.locator("#code-error")).to_contain_text("验证码不正确")
    expect(page.get_by_label("验证码")).to_have_attribute("aria-invalid", "true")


def test_a_malformed_mobile_is_refused_in_place(page: Page, service: str) -> None:
    page.goto(f"{service}/login")
    page.get_by_label("手机号码").fill("12345")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("#mobile-error")).to_contain_text("手机号码格式不正确")
    expect(page.get_by_role("button", name="获取验证码")).to_be_enabled()


def test_login_page_has_no_serious_accessibility_violations(page: Page, service: str) -> None:
    page.goto(f"{service}/login")
    assert axe_violations(page) == []
