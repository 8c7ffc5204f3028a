"""What the user does, one function per action, shared by the step-by-step steps and the
composite ``假如…已…`` steps (so a precondition runs exactly the same code as its step).
Each goes through the scenario's driver (``ctx.driver``: the API, or the pages in a
browser)."""

from __future__ import annotations

from datetime import timedelta

from emulator.personas.forms import form_for
from szca_unlock.domain.verification_methods import Check, Proof
from szca_unlock.domain.verification_methods import Method as ApiMethod

from .context import NEW_PIN, Answer, Ctx, Method, Pending

_MODES = {"实时解锁": "realtime", "人工审核解锁": "manual"}


def latest_code(ctx: Ctx, mobile: str) -> str:
    """The login code the phone received since 获取短信验证码 was pressed."""
    return ctx.driver.login_code(ctx, mobile)


def request_login_code(ctx: Ctx, mobile: str) -> Answer:
    ctx.login_since = ctx.world.control.now()
    return ctx.driver.request_login_code(ctx, mobile)


def login_with(ctx: Ctx, mobile: str, code: str) -> Answer:
    return ctx.driver.login_with(ctx, mobile, code)


def login(ctx: Ctx, actor: str) -> None:
    mobile = ctx.person(actor).mobile
    assert request_login_code(ctx, mobile).ok, ctx.attempt
    assert login_with(ctx, mobile, latest_code(ctx, mobile)).ok, ctx.attempt


def accept_agreements(ctx: Ctx, boxes: tuple[int, ...] | None = None) -> Answer:
    """Tick the page's checkboxes (all, or those numbered in ``boxes``, 0-based) and press
    进入解锁."""
    return ctx.driver.accept_agreements(ctx, boxes)


def look_up(ctx: Ctx, serial: str) -> Answer:
    return ctx.driver.look_up(ctx, serial)


def open_order(ctx: Ctx, mode_label: str) -> Answer:
    answer = ctx.driver.open_order(ctx, _MODES[mode_label])
    if answer.ok:
        ctx.order_no = answer.body["order_no"]
    return answer


def confirm_org_info(ctx: Ctx, id_number: str | None = None) -> Answer:
    legal_rep = ctx.company.legal_rep
    return ctx.driver.confirm_org_info(ctx, legal_rep.name, id_number or legal_rep.id_number)


def view_letter(ctx: Ctx) -> Answer:
    return ctx.driver.view_letter(ctx)


def confirm_letter(ctx: Ctx) -> Answer:
    return ctx.driver.confirm_letter(ctx)


def start_verification(ctx: Ctx, method: Method, **overrides: str) -> Answer:
    """Fill in the method's form and press 获取验证码 / show the QR code / start the deposit."""
    person = ctx.person(method.role)
    deposit = ApiMethod(method.api).check is Check.DEPOSIT
    body = form_for(method.api, person, ctx.company if deposit else None)
    body.update(overrides)
    assert ctx.order_no
    since = ctx.world.control.now()
    # Known before the answer: the steps look for the SMS sent since it started.
    ctx.pending = Pending(method, person, body.get("mobile"), body, {}, since)
    answer = ctx.driver.start_verification(ctx, method, body)
    ctx.pending.answer = answer.body if answer.ok else {}
    return answer


def enter_code(ctx: Ctx, code: str) -> Answer:
    return ctx.driver.enter_code(ctx, code)


def resend_code(ctx: Ctx) -> Answer:
    return ctx.driver.resend_code(ctx)


def sms_code_of_pending(ctx: Ctx) -> str:
    """The code texted for the verification in progress (never the login code, never one
    sent before this verification started)."""
    pending = ctx.pending
    assert pending is not None and pending.mobile, "no SMS verification pending"
    return ctx.driver.verification_code(ctx, pending.mobile)


def deposit_code(ctx: Ctx) -> str:
    """What finance reads off the remark of the transfer made for this order."""
    return ctx.driver.remark_code(ctx)


def scan_face(ctx: Ctx, outcome: str = "pass") -> Answer:
    """The person scans the QR code with WeChat and finishes the check with ``outcome``."""
    assert ctx.pending is not None and ctx.order_no
    return ctx.driver.scan_face(ctx, outcome)


def complete_verification(ctx: Ctx, method: Method) -> None:
    """A verification to its pass, the way the method asks for it."""
    assert start_verification(ctx, method).ok, ctx.attempt
    proof = ApiMethod(method.api).check.proof
    if proof is Proof.FACE:
        answer = scan_face(ctx)
        assert answer.body["verification"]["status"] == "passed", answer.body
        return
    code = deposit_code(ctx) if proof is Proof.REMARK_CODE else sms_code_of_pending(ctx)
    answer = enter_code(ctx, code)
    assert answer.ok and answer.body["verification"]["status"] == "passed", answer.body


def expire_codes(ctx: Ctx) -> None:
    assert ctx.world.clock is not None, "@clock scenarios run in-process only"
    ctx.world.clock.advance(timedelta(minutes=5, seconds=1))


def unlock(ctx: Ctx, pin: str = NEW_PIN) -> Answer:
    """立即解锁: the new PIN set in the pop-up reaches the key now in the reader."""
    assert ctx.key is not None and ctx.order_no
    return ctx.driver.unlock(ctx, pin)


def refresh(ctx: Ctx) -> None:
    """刷新网页."""
    ctx.driver.refresh(ctx)
