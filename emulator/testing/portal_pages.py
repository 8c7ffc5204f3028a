"""Page objects of the 网厅 portal, one per page of the manual, named after it. They find
elements as a user does (role + accessible name, label, text) and are shared by the
browser tests and the BDD steps' browser driver."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Browser, BrowserContext, FilePayload, Page, expect

from emulator.mock_providers.client import ProviderControl
from emulator.personas import Company, PersonaCertificate

from .browser import DESKTOP, PHONE

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


@dataclass
class OrganisationPage:
    """ORG-RT-5 单位信息: 企业名称 and 统一社会信用代码 shown; 法人姓名 + 身份证号, 下一步."""

    page: Page

    def confirm(self, legal_rep_name: str, legal_rep_id_number: str) -> None:
        expect(self.page.get_by_role("heading", name="单位信息")).to_be_visible()
        self.page.get_by_label("法人姓名").fill(legal_rep_name)
        self.page.get_by_label("身份证号").fill(legal_rep_id_number)
        self.page.get_by_role("button", name="下一步").click()


@dataclass
class VerificationPage:
    """ORG-RT-6 / ORG-RT-8 / PER-RT-5: name, ID, 验证方式 and what the method asks for."""

    page: Page

    def fill(self, name_label: str, name: str, id_label: str, id_number: str,
             method_label: str) -> None:
        self.page.get_by_label(name_label, exact=True).fill(name)
        self.page.get_by_label(id_label, exact=True).fill(id_number)
        self.page.get_by_label("验证方式").select_option(label=method_label)

    def sms_check(self, control: ProviderControl, mobile_label: str, mobile: str, *,
                  bank_card: str | None = None) -> None:
        """手机实名 / 银联: 获取验证码 (countdown), the code from the phone, 提交."""
        if bank_card is not None:
            self.page.get_by_label("银行卡号").fill(bank_card)
        self.page.get_by_label(mobile_label, exact=True).fill(mobile)
        self.page.get_by_role("button", name="获取验证码").click()
        expect(self.page.locator("#sms-status")).to_contain_text(f"尾号{mobile[-4:]}")
        expect(self.page.locator("#sms-button")).to_have_text(re.compile(r"^\d+s$"))
        self.page.get_by_label("验证码", exact=True).fill(
            control.sms_code(mobile, purpose="verification"))
        self.page.get_by_role("button", name="提交").click()

    def start_face(self) -> str:
        """人脸验证: 下一步 shows the QR code; answers the URL WeChat would open."""
        self.page.get_by_role("button", name="下一步").click()
        qr = self.page.get_by_role("img", name=re.compile("人脸验证二维码"))
        expect(qr).to_be_visible()
        url = qr.get_attribute("data-face-url")
        assert url
        return url

    def start_deposit(self, bank: str, branch: str, account: str) -> None:
        self.page.get_by_label("开户银行").fill(bank)
        self.page.get_by_label("开户支行").fill(branch)
        self.page.get_by_label("对公账号").fill(account)
        self.page.get_by_role("button", name="下一步").click()
        expect(self.page.get_by_label("打款备注随机码")).to_be_visible()

    def submit_deposit_code(self, code: str) -> None:
        self.page.get_by_label("打款备注随机码").fill(code)
        self.page.get_by_role("button", name="提交").click()


@dataclass
class LetterPage:
    """ORG-RT-7 单位授权委托书: read, 下一步."""

    page: Page

    def confirm(self) -> None:
        expect(self.page.get_by_role("heading", name=re.compile("授权委托书"))).to_be_visible()
        self.page.get_by_role("button", name="下一步").click()


@dataclass
class ResultPage:
    """恭喜!审核已通过: 业务单号, 证书主题, 证书类型, 立即解锁."""

    page: Page

    def expect_shown(self, order_no: str) -> None:
        expect(self.page.get_by_role("heading", name=re.compile("审核已通过"))).to_be_visible()
        expect(self.page.get_by_text(order_no)).to_be_visible()
        expect(self.page.get_by_role("button", name="立即解锁").or_(
            self.page.get_by_role("link", name="立即解锁"))).to_be_visible()


@dataclass
class UnlockDialog:
    """立即解锁 and its pop-up: 新密码, 确认新密码, 确认; progress from the helper."""

    page: Page

    def open(self) -> None:
        self.page.get_by_role("button", name="立即解锁").click()
        expect(self.page.get_by_role("dialog", name="设置新密码")).to_be_visible()

    def set_pin(self, new_pin: str, confirmation: str | None = None) -> None:
        dialog = self.page.get_by_role("dialog", name="设置新密码")
        dialog.get_by_label("新密码", exact=True).fill(new_pin)
        dialog.get_by_label("确认新密码").fill(new_pin if confirmation is None else confirmation)
        dialog.get_by_role("button", name="确认").click()

    def expect_unlocked(self) -> None:
        expect(self.page.locator("#unlock-done")).to_contain_text("解锁成功", timeout=30_000)

    def expect_error(self, text: str) -> None:
        expect(self.page.locator("#unlock-error")).to_contain_text(text, timeout=30_000)


def scan_qr(page: Page) -> str:
    """What a phone's camera reads from the face QR code on the page (decoded, not taken
    from the markup)."""
    import base64
    import io

    from PIL import Image
    from pyzbar.pyzbar import decode

    src = page.get_by_role("img", name=re.compile("人脸验证二维码")).get_attribute("src") or ""
    png = base64.b64decode(src.split(",", 1)[1])
    found = decode(Image.open(io.BytesIO(png)))
    assert found, "no QR code on the page"
    return str(found[0].data.decode())


@dataclass
class FacePhonePage:
    """The mock face provider's H5 page on a phone: 开始验证, the outcome, 完成."""

    page: Page

    def verify(self, outcome_label: str = "验证通过（本人）") -> None:
        self.page.get_by_role("button", name="开始验证").click()
        self.page.get_by_label(outcome_label).check()
        self.page.get_by_role("button", name="完成").click()


def verify_face_on_phone(browser: Browser, scanned: str, providers_url: str,
                         portal_url: str, outcome_label: str = "验证通过（本人）") -> None:
    """The QR code's URL opened on a phone-sized page: WeChat opens the provider's URL,
    which in the emulated world is the mock's H5 page; the tester picks the outcome and
    the phone lands on the portal's own face-done page."""
    phone_context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                        locale="zh-CN")
    try:
        phone = phone_context.new_page()
        mock_page = f"{providers_url}/pages/face/"
        phone.route("https://faceid.qq.com/**", lambda route: route.fulfill(
            status=302, headers={"Location": mock_page + scanned.split("token=")[1]}))
        phone.goto(scanned)
        FacePhonePage(phone).verify(outcome_label)
        expect(phone).to_have_url(re.compile(f"^{re.escape(portal_url)}/unlock/face-done"))
        expect(phone.get_by_role("heading", name="人脸验证已完成")).to_be_visible()
    finally:
        phone_context.close()


def open_realtime_order(page: Page, base_url: str, control: ProviderControl, mobile: str,
                        serial: str, shoot: Callable[[Page, str], object] | None = None
                        ) -> str:
    """C-1 … C-3 as the manual says: 登录 (the texted code), 解锁指南 (both ticks,
    进入解锁), 证书序列号 + 提交, 实时解锁. Answers the order number; ``shoot(page, name)``
    is called on each page (screenshots)."""
    shot = shoot or (lambda *_: None)
    login = LoginPage(page, base_url).open()
    shot(page, "login")
    login.request_code(mobile)
    page.get_by_label("验证码").fill(control.sms_code(mobile, purpose="login"))
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/unlock/guide$"))
    shot(page, "guide")
    GuidePage(page).accept_and_enter()
    certificates = CertificatePage(page)
    certificates.look_up(serial)
    shot(page, "certificate")
    return certificates.choose_realtime()


def org_until_enterprise_check(page: Page, base_url: str, control: ProviderControl,
                               persona: PersonaCertificate,
                               shoot: Callable[[Page, str], object] | None = None
                               ) -> tuple[str, VerificationPage]:
    """ORG-RT-1 … ORG-RT-7 (operator by 手机实名) and the enterprise check's person with
    法人人脸验证 chosen; answers the order number and the enterprise check's page."""
    shot = shoot or (lambda *_: None)
    company = persona.company
    assert company is not None
    order_no = open_realtime_order(page, base_url, control, persona.applicant_mobile,
                                   persona.serial_hex, shoot)
    shot(page, "organisation")
    OrganisationPage(page).confirm(company.legal_rep.name, company.legal_rep.id_number)
    operator = VerificationPage(page)
    operator.fill("经办人姓名", company.operator.name, "身份证号", company.operator.id_number,
                  "手机实名")
    shot(page, "operator")
    operator.sms_check(control, "手机号", company.operator.mobile)
    shot(page, "authorization-letter")
    LetterPage(page).confirm()
    enterprise = VerificationPage(page)
    enterprise.fill("法人姓名", company.legal_rep.name, "身份证号", company.legal_rep.id_number,
                    "法人人脸验证")
    shot(page, "enterprise")
    return order_no, enterprise


@dataclass
class ManualReviewPage:
    """ORG-MR / PER-MR 人工审核: the form (保存), 打印申请表, one upload per document slot
    (refusals in place), 提交 / 重新提交, and the rejection's reasons."""

    page: Page

    def fill(self, values: dict[str, str]) -> None:
        """Fields by their labels (申请人姓名, 身份证号码, ...); 保存."""
        for label, value in values.items():
            self.page.get_by_label(label, exact=True).fill(value)
        self.page.get_by_role("button", name="保存").click()

    def upload(self, slot: str, name: str, data: bytes, mime_type: str = "image/jpeg") -> None:
        """Choose a file for ``slot`` (its machine name) and 上传证件 / 重新上传."""
        block = self.page.locator(f"#slot-{slot}")
        block.locator("input[type=file]").set_input_files(
            files=[FilePayload(name=name, mimeType=mime_type, buffer=data)])
        block.get_by_role("button", name=re.compile("上传")).click()

    def expect_uploaded(self, slot: str, name: str) -> None:
        block = self.page.locator(f"#slot-{slot}")
        # the upload, its preview and the page's reload: slow on a loaded machine
        expect(block.locator(".uploaded")).to_contain_text(name, timeout=20_000)
        preview = block.get_by_role("img")
        expect(preview).to_be_visible()
        self.page.wait_for_function("el => el.complete && el.naturalWidth > 0",
                                    arg=preview.element_handle())

    def expect_refused(self, slot: str, text: str) -> None:
        expect(self.page.locator(f"#{slot}-error")).to_contain_text(text, timeout=20_000)
        expect(self.page.locator(f"#slot-{slot} .uploaded")).to_have_count(0)

    def submit(self) -> None:
        self.page.get_by_role("button", name=re.compile("^(重新)?提交$")).click()
        expect(self.page.locator("#order-state")).to_have_text("待审核")

    def fill_org(self, company: Company, **overrides: str) -> None:
        """ORG-MR-5 单位信息 and 经办人信息 by their labels (省 and 市 picked from the
        lists), 保存."""
        operator = company.operator
        self.page.get_by_label("省", exact=True).select_option(company.province)
        city = self.page.get_by_label("市", exact=True)
        expect(city.locator("option", has_text=company.city)).to_have_count(1)
        city.select_option(company.city)
        self.fill({"机构名称": company.name, "机构证件号码": company.uscc,
                   "单位地址": company.address, "单位经办人姓名": operator.name,
                   "身份证号码": operator.id_number, "移动电话": operator.mobile,
                   "职务": operator.title or "行政专员",
                   "常用联系邮箱": operator.email or "operator@example.com", **overrides})

    def start_operator_face(self) -> None:
        """ORG-MR-8 开始人脸验证 (or 重新验证): the QR code for the operator's phone."""
        section = self.page.locator("#face-section")
        section.get_by_role("button", name=re.compile("开始人脸验证|重新验证")).click()
        expect(section.get_by_role("img", name=re.compile("人脸验证二维码"))).to_be_visible()

    def expect_face(self, text: str) -> None:
        expect(self.page.locator("#face-status")).to_contain_text(text, timeout=15_000)


@dataclass
class ConsolePage:
    """The reviewers' console (/console): staff login, one order, 驳回 with reasons, 通过."""

    page: Page
    base_url: str

    def log_in(self, username: str, password: str) -> None:
        self.page.goto(f"{self.base_url}/console/reviews")
        expect(self.page).to_have_url(re.compile(r"/console/login\?next="))
        self.page.get_by_label("用户名").fill(username)
        self.page.get_by_label("密码").fill(password)
        self.page.get_by_role("button", name="登录").click()
        expect(self.page).to_have_url(re.compile(r"/console/reviews$"))

    def open(self, order_no: str) -> None:
        self.page.goto(f"{self.base_url}/console/reviews")
        row = self.page.get_by_role("row").filter(has_text=order_no)
        row.get_by_role("link", name=re.compile("审核")).click()
        expect(self.page.get_by_role("heading", name=f"审核业务单 {order_no}")).to_be_visible()

    def reject(self, order_no: str, reasons: list[str], detail: str) -> None:
        group = self.page.get_by_role("group", name=re.compile("驳回原因"))
        for reason in reasons:
            group.get_by_role("checkbox", name=re.compile(re.escape(reason))).check()
        self.page.get_by_label("补充说明（选填）").fill(detail)
        self.page.get_by_role("button", name="驳回").click()
        expect(self.page.get_by_role("status")).to_contain_text(f"业务单 {order_no} 已驳回")

    def approve(self, order_no: str) -> None:
        self.page.get_by_role("button", name="通过").click()
        expect(self.page.get_by_role("status")).to_contain_text(f"业务单 {order_no} 审核通过")


def second_context(browser: Browser) -> BrowserContext:
    """Another person's browser (the reviewer's): its own cookies, desktop-sized."""
    return browser.new_context(viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai")
