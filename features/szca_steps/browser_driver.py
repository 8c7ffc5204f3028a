"""``BrowserDriver``: the scenario's user in Chromium on the 网厅's pages, through the page
objects the browser tests use (emulator/testing/portal_pages.py), with the manual's button
names as accessible names. The phone is a second, phone-sized context: the SMS inbox and
the face H5 page of the mock providers; finance reads the company's statement page.
立即解锁 goes through the certificate helper (szca-assistant) to the key in the reader.

What a page shows becomes the step's ``Answer``: a page that moved on is a success; a
refusal is the words shown in place with the API's code the page keeps beside them
(``data-code``). A page has no HTTP status to show, so a refusal's status is ``None``.

The API client of the scenario (``ctx.client``) gets the page session's token after the
login, so the 那么 steps that look at the order through the API see the same login's
orders, as 我的业务单 does.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from playwright.sync_api import Error as PlaywrightError

from emulator.bdd.world import BddWorld
from emulator.mock_providers.pages import FACE_CHOICES
from emulator.testing.browser import DESKTOP, PHONE
from emulator.testing.portal import Portal
from emulator.testing.portal_pages import (
    CertificatePage,
    ConsolePage,
    GuidePage,
    LetterPage,
    LoginPage,
    ManualReviewPage,
    OrganisationPage,
    UnlockDialog,
    VerificationPage,
    scan_qr,
    second_context,
    verify_face_on_phone,
)
from szca_unlock.domain.verification_methods import Method as ApiMethod
from szca_unlock.domain.verification_methods import Proof, Step
from szca_unlock.service.views.portal import STEP_PERSON

from .context import Answer, Method

if TYPE_CHECKING:
    from .context import Ctx

SESSION_COOKIE = "szca_session"
WAIT_S = 30.0  # a page's answer, the helper's unlock, the face status poll
# The 申请表 PDF embeds a subset of a CJK font: seconds of CPU, far more on a loaded machine.
PDF_WAIT_S = 90.0
CHINA = timezone(timedelta(hours=8))
_LOGIN_SMS = re.compile(r"登录验证码为(\d{6})")
_CHECK_SMS = re.compile(r"(?<!登录)验证码为(\d{6})")
_REMARK_CODE = re.compile(r"\d{6}")
_FIELD_LABELS = {"bank_card": "银行卡号", "bank_name": "开户银行", "branch_name": "开户支行",
                 "account_number": "对公账号"}
# 录入信息 (ORG-MR-5 / PER-MR): the form's fields by their labels on the page.
_ORG_LABELS = {"org_name": "机构名称", "org_id_number": "机构证件号码", "fee": "费用（元）",
               "address": "单位地址", "operator_name": "单位经办人姓名",
               "operator_id_number": "身份证号码", "operator_mobile": "移动电话",
               "operator_title": "职务", "operator_email": "常用联系邮箱"}
_PERSONAL_LABELS = {"applicant_name": "申请人姓名", "applicant_id_number": "身份证号码",
                    "applicant_mobile": "移动电话"}
_MANUAL_SELECTS = {"province": "省", "city": "市"}
_MODE_BUTTONS = {"realtime": "实时解锁", "manual": "人工审核解锁"}
# Every message shown in place (role=alert) with the code kept beside it.
_SHOWN_ERRORS = """() => [...document.querySelectorAll('[role=alert]')]
  .filter((e) => e.textContent.trim() && e.checkVisibility())
  .map((e) => ({code: e.dataset.code ?? '', text: e.textContent.trim().replace(/\\s+/g, ' '),
                field: e.id.endsWith('-error') ? e.id.slice(0, -6) : ''}))"""


def _facts(page: Page, scope: str = "") -> dict[str, str]:
    """A page's ``dl.facts`` as label → value."""
    pairs = page.locator(f"{scope} dl.facts").first.evaluate(
        "dl => [...dl.querySelectorAll('dt')].map(dt => "
        "[dt.textContent.trim(), dt.nextElementSibling.textContent.trim()])")
    return {str(k): str(v) for k, v in pairs}


class BrowserDriver:
    name = "browser"

    def __init__(self, browser: Browser, base_url: str, providers_url: str,
                 portal: Portal) -> None:
        self.browser = browser
        self.base_url = base_url
        self.providers_url = providers_url
        self.portal = portal
        self.context: BrowserContext = browser.new_context(
            viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai")
        self.context.set_default_timeout(WAIT_S * 1000)
        self.page = self.context.new_page()
        self._phone: BrowserContext | None = None
        self._reviewer: ConsolePage | None = None

    # --- what a page shows ----------------------------------------------------------------
    def _errors(self) -> list[dict[str, str]]:
        try:
            return list(self.page.evaluate(_SHOWN_ERRORS))
        except PlaywrightError:  # the page is navigating: nothing shown yet
            return []

    def _refused(self, ctx: Ctx, error: dict[str, str]) -> Answer:
        return ctx.remember(Answer(None, {"error": {
            "code": error["code"], "message": error["text"], "field": error["field"],
            "help": ""}}))

    def _settle(self, ctx: Ctx, done: Callable[[], bool], body: Callable[[], Any],
                timeout_s: float = WAIT_S) -> Answer:
        """Wait until the page moved on (``done``) or shows a refusal in place."""
        deadline = time.monotonic() + timeout_s
        while True:
            errors = self._errors()
            if errors:
                return self._refused(ctx, errors[0])
            try:
                if done():
                    return ctx.remember(Answer(200, body()))
            except PlaywrightError:
                pass  # navigating
            if time.monotonic() > deadline:
                raise AssertionError(f"the page neither moved on nor refused: {self.page.url}")
            self.page.wait_for_timeout(100)

    def _on(self, path: str) -> bool:
        return re.split(r"[?#]", self.page.url)[0] == f"{self.base_url}{path}"

    def _page_is(self, name: str) -> bool:
        return f"page-{name}" in (self.page.locator("body").get_attribute("class") or "")

    def _go(self, path: str) -> None:
        if not self._on(path):
            self.page.goto(f"{self.base_url}{path}")

    # --- C-1 登录 --------------------------------------------------------------------------
    def request_login_code(self, ctx: Ctx, mobile: str) -> Answer:
        LoginPage(self.page, self.base_url).open()
        self.page.get_by_label("手机号码").fill(mobile)
        self.page.get_by_role("button", name="获取验证码").click()
        status = self.page.locator("#sms-status")
        return self._settle(ctx, lambda: f"尾号{mobile[-4:]}" in status.inner_text(),
                            lambda: {"message": status.inner_text()})

    def login_with(self, ctx: Ctx, mobile: str, code: str) -> Answer:
        if not self._on("/login"):
            LoginPage(self.page, self.base_url).open()
            self.page.get_by_label("手机号码").fill(mobile)
        self.page.get_by_label("验证码").fill(code)
        self.page.get_by_role("button", name="登录", exact=True).click()
        answer = self._settle(ctx, lambda: not self._on("/login"), dict)
        if answer.ok:  # the 那么 steps look at this login's orders through the API
            ctx.client.token = next(c["value"] for c in self.context.cookies()
                                    if c["name"] == SESSION_COOKIE)
        return answer

    # --- C-2 解锁指南, C-3 证书, C-4 解锁方式 --------------------------------------------------
    def checkbox_labels(self, ctx: Ctx) -> list[str]:
        self._go("/unlock/guide")
        boxes = self.page.locator("#guide-form label:has(input[type=checkbox])")
        return [text.strip() for text in boxes.all_inner_texts()]

    def accept_agreements(self, ctx: Ctx, boxes: tuple[int, ...] | None) -> Answer:
        labels = self.checkbox_labels(ctx)
        if boxes is None:
            GuidePage(self.page).accept_and_enter()
            return ctx.remember(Answer(200, {}))
        for n in boxes:
            self.page.get_by_label(labels[n]).check()
        enter = self.page.get_by_role("button", name="进入解锁")
        if enter.is_disabled():
            # The page keeps 进入解锁 disabled: the service is never asked.
            return ctx.remember(Answer(None, {"error": {
                "code": "", "message": "进入解锁不可用(须勾选全部服务协议)", "field": "agreements",
                "help": ""}}))
        enter.click()
        return self._settle(ctx, lambda: self._on("/unlock/certificate"), dict)

    def look_up(self, ctx: Ctx, serial: str) -> Answer:
        self._go("/unlock/certificate")
        CertificatePage(self.page).look_up(serial)
        heading = self.page.get_by_role("heading", name="证书信息")

        def shown() -> dict[str, Any]:
            facts = _facts(self.page)
            return {"serial": facts["证书序列号"], "type_label": facts["证书类型"],
                    "subject_dn": facts["证书主题"], "holder_name": facts["持有人"],
                    "status_label": facts["证书状态"]}
        return self._settle(ctx, heading.is_visible, shown)

    def open_order(self, ctx: Ctx, mode: str) -> Answer:
        button = self.page.get_by_role("button", name=_MODE_BUTTONS[mode])
        if not button.is_visible():  # the certificate is chosen on its page first
            assert ctx.persona is not None
            assert self.look_up(ctx, ctx.persona.serial_hex).ok, ctx.attempt
        button.click()
        pattern = re.compile(rf"{re.escape(self.base_url)}/orders/(\w+)/(unlock|manual)$")

        def order_no() -> dict[str, Any]:
            match = pattern.match(self.page.url)
            assert match
            return {"order_no": match.group(1)}
        return self._settle(ctx, lambda: bool(pattern.match(self.page.url)), order_no)

    # --- ORG-RT-5, ORG-RT-7 ----------------------------------------------------------------
    def _flow(self, ctx: Ctx) -> None:
        assert ctx.order_no
        self._go(f"/orders/{ctx.order_no}/unlock")

    def confirm_org_info(self, ctx: Ctx, name: str, id_number: str) -> Answer:
        self._flow(ctx)
        OrganisationPage(self.page).confirm(name, id_number)
        return self._settle(ctx, lambda: not self._page_is("organisation")
                            and self._page_is("verify"), dict)

    def view_letter(self, ctx: Ctx) -> Answer:
        self._flow(ctx)
        expect(self.page.get_by_role("heading", name=re.compile("授权委托书"))).to_be_visible()
        facts = _facts(self.page)
        paragraphs = self.page.locator("main form.card > p").all_inner_texts()
        return ctx.remember(Answer(200, {
            "fields": [{"label": k, "value": v} for k, v in facts.items()],
            "paragraphs": paragraphs}))

    def confirm_letter(self, ctx: Ctx) -> Answer:
        self._flow(ctx)
        LetterPage(self.page).confirm()
        return self._settle(ctx, lambda: self._page_is("verify-enterprise"), dict)

    # --- the verifications -----------------------------------------------------------------
    def start_verification(self, ctx: Ctx, method: Method, form: dict[str, str]) -> Answer:
        self._flow(ctx)
        labels = {**_FIELD_LABELS, **STEP_PERSON[Step(method.step)]}  # the person's, per step
        self.page.get_by_label("验证方式").select_option(value=form["method"])
        for key, value in form.items():
            if key != "method":
                self.page.get_by_label(labels[key], exact=True).fill(value)
        proof = ApiMethod(method.api).check.proof
        if proof is Proof.FACE:
            self.page.get_by_role("button", name="下一步").click()
            qr = self.page.get_by_role("img", name=re.compile("人脸验证二维码"))

            def face() -> dict[str, Any]:
                src = qr.get_attribute("src") or ""
                return {"verification": {"status": "pending", "face": {
                    "url": scan_qr(self.page), "qr_png_base64": src.split(",", 1)[1]}}}
            return self._settle(ctx, qr.is_visible, face)
        if proof is Proof.REMARK_CODE:
            self.page.get_by_role("button", name="下一步").click()
            code_box = self.page.get_by_label("打款备注随机码")
            status = self.page.locator("#deposit-status")
            return self._settle(ctx, code_box.is_visible, lambda: {"verification": {
                "status": "pending", "message": status.inner_text()}})
        self.page.get_by_role("button", name="获取验证码").click()
        status = self.page.locator("#sms-status")
        mobile = form.get("mobile", "")
        return self._settle(ctx, lambda: f"尾号{mobile[-4:]}" in status.inner_text(),
                            lambda: {"verification": {"status": "pending",
                                                      "message": status.inner_text()}})

    def _left_step(self, step: str) -> bool:
        """The flow moved past the verification ``step`` (its next page is shown)."""
        return not self._page_is(f"verify-{step}") and self.page.url.startswith(self.base_url)

    def enter_code(self, ctx: Ctx, code: str) -> Answer:
        assert ctx.pending is not None, "no verification started"
        step = ctx.pending.method.step
        if ApiMethod(ctx.pending.method.api).check.proof is Proof.REMARK_CODE:
            VerificationPage(self.page).submit_deposit_code(code)
        else:
            self.page.get_by_label("验证码", exact=True).fill(code)
            self.page.get_by_role("button", name="提交").click()
        return self._settle(ctx, lambda: self._left_step(step),
                            lambda: {"verification": {"status": "passed"}})

    def resend_code(self, ctx: Ctx) -> Answer:
        """获取验证码 again: while it counts down the button cannot be pressed."""
        button = self.page.locator("#sms-button")
        if button.is_disabled():
            return ctx.remember(Answer(None, {"error": {
                "code": "", "message": f"获取验证码不可用,倒计时 {button.inner_text()}",
                "field": "code", "help": ""}}))
        button.click()
        return self._settle(ctx, button.is_disabled, dict)

    def scan_face(self, ctx: Ctx, outcome: str) -> Answer:
        """The QR code as the phone's camera reads it, opened in WeChat (the phone context),
        the check finished there; the desktop page follows by itself."""
        assert ctx.pending is not None
        step = ctx.pending.method.step
        verify_face_on_phone(self.browser, scan_qr(self.page), self.providers_url, self.base_url,
                             dict(FACE_CHOICES)[outcome])
        if outcome == "pass":
            return self._settle(ctx, lambda: self._left_step(step),
                                lambda: {"verification": {"status": "passed"}})
        failed = self.page.locator("#failed-alert")
        failed.wait_for(state="visible", timeout=WAIT_S * 1000)
        return ctx.remember(Answer(200, {"verification": {
            "status": "failed", "code": failed.get_attribute("data-code") or "",
            "message": failed.inner_text().strip()}}))

    # --- ORG-MR / PER-MR --------------------------------------------------------------------
    def _manual_page(self, ctx: Ctx) -> None:
        assert ctx.order_no, "no order opened yet"
        self._go(f"/orders/{ctx.order_no}/manual")

    def _post(self, ctx: Ctx, button: Locator) -> Answer:
        """A form post: the page that comes back shows the refusal in place, or none."""
        with self.page.expect_navigation():
            button.click()
        errors = self._errors()
        return self._refused(ctx, errors[0]) if errors else ctx.remember(Answer(200, {}))

    def save_manual_form(self, ctx: Ctx, fields: dict[str, str]) -> Answer:
        """录入信息 by the form's labels (a field left out stays empty); 省 then 市 from the
        lists; 保存."""
        self._manual_page(ctx)
        for name in ("province", "city"):
            if name in fields:
                select = self.page.get_by_label(_MANUAL_SELECTS[name], exact=True)
                expect(select.locator("option", has_text=fields[name])).to_have_count(1)
                select.select_option(fields[name])
        assert ctx.persona is not None
        labels = _ORG_LABELS if ctx.persona.holder is None else _PERSONAL_LABELS
        for name, label in labels.items():
            self.page.get_by_label(label, exact=True).fill(fields.get(name, ""))
        return self._post(ctx, self.page.get_by_role("button", name="保存"))

    def application_pdf(self, ctx: Ctx) -> bytes:
        """下载申请表: the file the browser saves (打印申请表 opens the same in a tab)."""
        self._manual_page(ctx)
        with self.page.expect_download(timeout=PDF_WAIT_S * 1000) as download:
            self.page.get_by_role("link", name="下载申请表").click()
        return Path(download.value.path()).read_bytes()

    def upload(self, ctx: Ctx, slot: str, name: str, content: bytes,
               content_type: str) -> Answer:
        self._manual_page(ctx)
        if not self.page.locator(f"#slot-{slot}").count():
            return ctx.remember(Answer(None, {"error": {
                "code": "", "message": "页面没有该资料的上传项", "field": slot, "help": ""}}))
        ManualReviewPage(self.page).upload(slot, name, content, content_type)
        return self._settle(ctx, lambda: f"uploaded={slot}" in self.page.url, dict)

    def operator_face(self, ctx: Ctx, outcome: str) -> Answer:
        """ORG-MR-8: 开始人脸验证, the QR code opened on the operator's phone."""
        self._manual_page(ctx)
        assert self.page.locator("#face-section").count(), \
            "the manual-review page offers no operator face check (ORG-MR-8)"
        ManualReviewPage(self.page).start_operator_face()
        verify_face_on_phone(self.browser, scan_qr(self.page), self.providers_url,
                             self.base_url, dict(FACE_CHOICES)[outcome])
        # followed live, then the page shows itself again with the outcome (no longer pending)
        expect(self.page.locator("#face-section:not([data-status-url])")).to_be_visible()
        status = self.page.locator("#face-status")
        expect(status).to_have_class(re.compile(r"status-(passed|failed)"))
        shown = "passed" if "status-passed" in (status.get_attribute("class") or "") else "failed"
        return ctx.remember(Answer(200, {"verification": {
            "status": shown, "message": status.inner_text()}}))

    def submit_manual(self, ctx: Ctx) -> Answer:
        self._manual_page(ctx)
        return self._post(ctx, self.page.get_by_role("button", name=re.compile("^(重新)?提交$")))

    def find_in_my_orders(self, ctx: Ctx, action: str) -> None:
        """个人中心 → 我的业务单: the order's row, its 编辑 / 解锁."""
        assert ctx.order_no
        self.page.get_by_role("link", name="个人中心 · 我的业务单").click()
        row = self.page.get_by_role("row").filter(has_text=ctx.order_no)
        row.get_by_role("link", name=re.compile(f"^{action}")).click()
        expect(self.page).to_have_url(re.compile(f"/orders/{ctx.order_no}/"))

    def _console(self, ctx: Ctx) -> ConsolePage:
        """The CA reviewer at the console, in a browser of their own."""
        if self._reviewer is None:
            context = second_context(self.browser)
            context.set_default_timeout(WAIT_S * 1000)
            self._reviewer = ConsolePage(context.new_page(), self.base_url)
            staff = ctx.world.scenario.staff[0]
            self._reviewer.log_in(staff.username, staff.password)
        return self._reviewer

    def approve(self, ctx: Ctx) -> None:
        assert ctx.order_no
        console = self._console(ctx)
        console.open(ctx.order_no)
        console.approve(ctx.order_no)

    def reject(self, ctx: Ctx, reason_label: str) -> None:
        assert ctx.order_no
        console = self._console(ctx)
        console.open(ctx.order_no)
        console.reject(ctx.order_no, [reason_label], "请按驳回原因修改后重新提交")

    # --- C-5 立即解锁, C-6 刷新网页 ------------------------------------------------------------
    def unlock(self, ctx: Ctx, pin: str) -> Answer:
        """The helper sees the readers of the keys plugged in now; 立即解锁, the new PIN
        twice in the pop-up, 确认; the helper's answer shown in the pop-up."""
        assert ctx.order_no
        self.portal.use_readers(*[k.reader for k in ctx.keys if k.reader])
        if not self._on(f"/orders/{ctx.order_no}/result") and not self._on(
                f"/orders/{ctx.order_no}"):
            self.page.goto(f"{self.base_url}/orders/{ctx.order_no}/result")
        dialog = UnlockDialog(self.page)
        if self.page.get_by_role("dialog", name="设置新密码").is_visible():
            self.page.get_by_role("button", name="取消").click()
        dialog.open()
        dialog.set_pin(pin)
        done = self.page.locator("#unlock-done")
        return self._settle(ctx, done.is_visible, lambda: {"state": "completed",
                                                           "message": done.inner_text()})

    def refresh(self, ctx: Ctx) -> None:
        self.page.reload()

    # --- what the user reads --------------------------------------------------------------
    def _phone_page(self) -> Page:
        if self._phone is None:
            self._phone = self.browser.new_context(viewport=PHONE, is_mobile=True,
                                                   has_touch=True, locale="zh-CN")
            self._phone.set_default_timeout(WAIT_S * 1000)
        return self._phone.new_page()

    def _texted(self, mobile: str, pattern: re.Pattern[str], since: float | None) -> str:
        """The newest code of ``pattern`` in the phone's inbox page, sent since ``since``."""
        phone = self._phone_page()
        try:
            phone.goto(f"{self.providers_url}/pages/sms/{mobile}")
            for item in phone.get_by_role("listitem").all():
                meta, text = item.locator(".meta").inner_text(), item.locator(".text").inner_text()
                sent = datetime.strptime(meta.split(" · ")[0], "%Y-%m-%d %H:%M:%S")
                if since is not None and sent.replace(tzinfo=CHINA).timestamp() < int(since):
                    break  # older than the step: the phone shows nothing new
                match = pattern.search(text)
                if match:
                    return match.group(1)
        finally:
            phone.close()
        raise AssertionError(f"no code in the inbox of …{mobile[-4:]} since {since}")

    def login_code(self, ctx: Ctx, mobile: str) -> str:
        return self._texted(mobile, _LOGIN_SMS, ctx.login_since)

    def verification_code(self, ctx: Ctx, mobile: str) -> str:
        assert ctx.pending is not None
        return self._texted(mobile, _CHECK_SMS, ctx.pending.since)

    def remark_code(self, ctx: Ctx) -> str:
        """Finance opens the company's statement: the newest credit is the transfer."""
        page = self._phone_page()
        try:
            page.goto(f"{self.providers_url}/pages/bank/{ctx.company.account.account_no}")
            remark = page.locator("tbody tr").first.locator("td").nth(3).inner_text()
        finally:
            page.close()
        match = _REMARK_CODE.search(remark)
        assert match, f"no code in the remark {remark!r}"
        return match.group(0)

    def result_screen(self, ctx: Ctx) -> dict[str, Any]:
        assert ctx.order_no
        self._go(f"/orders/{ctx.order_no}/result")
        facts = _facts(self.page)
        return {"title": self.page.locator("h1").inner_text().strip(),
                "order_no": facts["业务单号"], "certificate_type": facts["证书类型"],
                "subject_dn": facts["证书主题"]}

    def order_state_label(self, ctx: Ctx) -> str:
        """我的业务单 → the order, in a second tab (the flow's page stays where it is)."""
        assert ctx.order_no
        tab = self.context.new_page()
        try:
            tab.goto(f"{self.base_url}/orders/{ctx.order_no}")
            return tab.locator("#order-state").inner_text().strip()
        finally:
            tab.close()

    def countdown_seconds(self, ctx: Ctx) -> int:
        text = self.page.locator("#sms-button").inner_text()
        match = re.fullmatch(r"(\d+)s", text.strip())
        assert match, f"获取验证码 shows {text!r}, not a countdown"
        return int(match.group(1))

    def close(self) -> None:
        if self._phone is not None:
            self._phone.close()
        if self._reviewer is not None:
            self._reviewer.page.context.close()
        self.context.close()


def browser_driver(request: pytest.FixtureRequest, world: BddWorld) -> BrowserDriver:
    """The scenario's browser user: a context in the session's Chromium (pytest-playwright's
    ``browser``), the world's portal with its certificate helper on the session's helper
    port."""
    if world.clock is None:
        raise pytest.UsageError("--driver browser runs against the in-process world: the "
                                "helper must reach this run's readers, and a deployment's "
                                "pages name its own helper")
    browser: Browser = request.getfixturevalue("browser")
    portal = Portal(world.base_url, request.getfixturevalue("assistant_host"))
    portal.start_assistant()
    driver = BrowserDriver(browser, world.base_url, world.control.base_url, portal)
    request.addfinalizer(portal.stop_assistant)
    return driver

