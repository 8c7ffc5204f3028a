"""What the user does, one function per action, shared by the step-by-step steps and the
composite ``假如…已…`` steps (so a precondition runs exactly the same code as its step)."""

from __future__ import annotations

from datetime import timedelta

from emulator.personas.forms import form_for
from szca_unlock.api.errors import ApiError
from szca_unlock.domain.verification_methods import Check, Proof
from szca_unlock.domain.verification_methods import Method as ApiMethod
from szca_unlock.ukey import UnlockAgent

from .context import NEW_PIN, Answer, Ctx, Method, Pending, body_of


def latest_code(ctx: Ctx, mobile: str) -> str:
    """The login code the phone received since 获取短信验证码 was pressed."""
    try:
        return ctx.world.control.sms_code(mobile, after=ctx.login_since, purpose="login")
    except LookupError as exc:
        raise AssertionError(str(exc)) from None


def request_login_code(ctx: Ctx, mobile: str) -> Answer:
    ctx.login_since = ctx.world.control.now()
    return ctx.act(ctx.client.request_sms_code, mobile)


def login_with(ctx: Ctx, mobile: str, code: str) -> Answer:
    return ctx.act(ctx.client.login, mobile, code)  # keeps the token


def login(ctx: Ctx, actor: str) -> None:
    mobile = ctx.person(actor).mobile
    assert request_login_code(ctx, mobile).ok, ctx.attempt
    assert login_with(ctx, mobile, latest_code(ctx, mobile)).ok, ctx.attempt


def accept_agreements(ctx: Ctx, boxes: tuple[int, ...] | None = None) -> Answer:
    """Tick the page's checkboxes (all, or those numbered in ``boxes``, 0-based) and press
    进入解锁: each tick accepts every agreement it names."""
    guide = body_of(ctx.client.guide())
    checkboxes = guide["checkboxes"]
    wanted = {i for n, box in enumerate(checkboxes) if boxes is None or n in boxes
              for i in box["agreements"]}
    ticked = [(a["id"], a["version"]) for a in guide["agreements"] if a["id"] in wanted]
    return ctx.act(ctx.client.accept_agreements, ticked)


def look_up(ctx: Ctx, serial: str) -> Answer:
    return ctx.act(ctx.client.lookup_certificate, serial)


def open_order(ctx: Ctx, mode_label: str) -> Answer:
    assert ctx.persona is not None
    mode = {"实时解锁": "realtime", "人工审核解锁": "manual"}[mode_label]
    answer = ctx.act(ctx.client.create_order, ctx.persona.serial_hex, mode)
    if answer.ok:
        ctx.order_no = answer.body["order_no"]
    return answer


def confirm_org_info(ctx: Ctx, id_number: str | None = None) -> Answer:
    legal_rep = ctx.company.legal_rep
    assert ctx.order_no
    return ctx.act(ctx.client.confirm_organisation, ctx.order_no, legal_rep.name,
                   id_number or legal_rep.id_number)


def confirm_letter(ctx: Ctx) -> Answer:
    assert ctx.order_no
    letter = ctx.client.authorization_letter(ctx.order_no)
    return ctx.act(ctx.client.confirm_authorization_letter, ctx.order_no, letter.version)


def start_verification(ctx: Ctx, method: Method, **overrides: str) -> Answer:
    """Fill in the method's form and press 获取验证码 / show the QR code / start the deposit."""
    person = ctx.person(method.role)
    deposit = ApiMethod(method.api).check is Check.DEPOSIT
    body = form_for(method.api, person, ctx.company if deposit else None)
    body.update(overrides)
    assert ctx.order_no
    extra = {k: v for k, v in body.items() if k not in ("method", "name", "id_number")}
    since = ctx.world.control.now()
    answer = ctx.act(ctx.client.start_verification, ctx.order_no, method.step, body["method"],
                     body["name"], body["id_number"], **extra)
    ctx.pending = Pending(method, person, body.get("mobile"), body,
                          answer.body if answer.ok else {}, since)
    return answer


def enter_code(ctx: Ctx, code: str) -> Answer:
    assert ctx.pending is not None and ctx.order_no, "no verification started"
    return ctx.act(ctx.client.submit_code, ctx.order_no, ctx.pending.method.step, code)


def sms_code_of_pending(ctx: Ctx) -> str:
    """The code texted for the verification in progress (never the login code, never one
    sent before this verification started)."""
    pending = ctx.pending
    assert pending is not None and pending.mobile, "no SMS verification pending"
    try:
        return ctx.world.control.sms_code(pending.mobile, after=pending.since,
                                          purpose="verification")
    except LookupError as exc:
        raise AssertionError(str(exc)) from None


def deposit_code(ctx: Ctx) -> str:
    """What finance reads off the remark of the transfer made for this order."""
    assert ctx.order_no, "no order opened yet"
    try:
        return ctx.world.control.deposit_code(ctx.company.account.account_no, ctx.order_no)
    except LookupError as exc:
        raise AssertionError(str(exc)) from None


def scan_face(ctx: Ctx, outcome: str = "pass") -> Answer:
    """The person scans the QR code with WeChat; the page then asks the service for the result."""
    assert ctx.pending is not None and ctx.order_no
    ctx.world.control.complete_face(ctx.pending.answer["verification"]["face"]["url"], outcome)
    return ctx.act(ctx.client.verification, ctx.order_no, ctx.pending.method.step)


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
    """立即解锁: the CA driver tool unlocks the key now in the reader for the order."""
    assert ctx.key is not None and ctx.order_no
    client = ctx.client.unlock_client()
    try:
        result = UnlockAgent(client, ctx.key.driver).unlock(
            ctx.order_no, new_pin=pin, confirm_pin=pin)
        answer = Answer(200, {"state": result.order_state, "key_serial": result.key_serial})
    except ApiError as exc:
        answer = Answer(exc.status, {"error": {
            "code": exc.code, "message": str(exc), "help": exc.help}})
    except Exception as exc:  # a refusal before the service was asked (PIN policy)
        code = getattr(exc, "code", type(exc).__name__)
        answer = Answer(422, {"error": {"code": code, "message": str(exc)}})
    finally:
        client.close()
    return ctx.remember(answer)
