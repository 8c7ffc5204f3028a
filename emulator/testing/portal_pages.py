"""Page objects of the 网厅 portal, one per page of the manual, named after it. They find
elements as a user does (role + accessible name, label, text) and are shared by the
browser tests and the BDD steps' browser driver."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Page, expect

from emulator.mock_providers.client import ProviderControl

_SMS_CODE = re.compile(r"验证码为(\d{6})")


def texted_code(control: ProviderControl, mobile: str) -> str:
    """The newest code texted to ``mobile`` (what the user reads on the phone)."""
    match = _SMS_CODE.search(control.last_sms(mobile).text)
    assert match, control.last_sms(mobile).text
    return match.group(1)


@dataclass
class LoginPage:
    """登录: 手机号码, 获取验证码 (59 s countdown), 验证码, 登录."""

    page: Page
    base_url: str

    def open(self) -> LoginPage:
        self.page.goto(f"{self.base_url}/login")
        return self

    def request_code(self, mobile: str) -> None:
        self.page.get_by_label("手机号码").fill(mobile)
        self.page.get_by_role("button", name="获取验证码").click()
        expect(self.page.locator("#sms-status")).to_contain_text(f"尾号{mobile[-4:]}")

    def log_in(self, control: ProviderControl, mobile: str) -> None:
        self.open().request_code(mobile)
        self.page.get_by_label("验证码").fill(texted_code(control, mobile))
        self.page.get_by_role("button", name="登录", exact=True).click()
        expect(self.page).to_have_url(re.compile(r"/unlock/guide$"))


@dataclass
class GuidePage:
    """解锁指南: the two agreement ticks and 进入解锁."""

    page: Page

    def accept_and_enter(self) -> None:
        self.page.get_by_label("我同意接受《电子认证服务协议》《个人信息授权书》").check()
        self.page.get_by_label("我同意接受《敏感个人信息授权书》").check()
        self.page.get_by_role("button", name="进入解锁").click()
        expect(self.page).to_have_url(re.compile(r"/unlock/certificate$"))


@dataclass
class CertificatePage:
    """证书序列号 + 提交, then 实时解锁 / 人工审核解锁."""

    page: Page

    def look_up(self, serial: str) -> None:
        self.page.get_by_label("证书序列号").fill(serial)
        self.page.get_by_role("button", name="提交").click()

    def choose_realtime(self) -> str:
        self.page.get_by_role("button", name="实时解锁").click()
        expect(self.page).to_have_url(re.compile(r"/orders/\w+/unlock$"))
        match = re.search(r"/orders/(\w+)/unlock$", self.page.url)
        assert match
        return match.group(1)


def log_in(page: Page, base_url: str, control: ProviderControl, mobile: str, *,
           accept: bool = False) -> None:
    """C-1 (and C-2 with ``accept``): logged in, on 解锁指南 or past it."""
    LoginPage(page, base_url).log_in(control, mobile)
    if accept:
        GuidePage(page).accept_and_enter()
