"""ORG-RT-6, ORG-RT-8, PER-RT-5: start a check, send/resend its SMS code, take the code,
poll face and deposit results, and move the order forward only on a real pass.

Every attempt is a verification row of *this* order; a pass is looked up only among
this order's rows, so it can never be reused for another order. Failed attempts are
committed before the error is raised, so they count.

No transaction is open while a provider is called: each operation reads and validates
(read-only), calls the provider, then records the outcome in a short write transaction
that checks again that the attempt is still the open one and the step still allowed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from szca_unlock.domain import otp
from szca_unlock.domain.errors import CS_HELP, DomainError
from szca_unlock.domain.orders import next_state
from szca_unlock.domain.validators import validate_mobile
from szca_unlock.domain.verification_methods import (
    STEP_METHODS,
    Check,
    Method,
    Proof,
    Step,
    VerificationRequest,
)
from szca_unlock.providers import DepositErrorCode, DepositRejected
from szca_unlock.service.context import ServiceContext
from szca_unlock.service.errors import Conflict
from szca_unlock.service.logic import orders
from szca_unlock.service.logic import verification_codes as codes
from szca_unlock.service.logic.checks import STARTERS, CheckFailed, Started, start_deposit
from szca_unlock.service.logic.identity import Person, person_for_step, typed_person
from szca_unlock.service.logic.sessions import Principal
from szca_unlock.store.enums import VerificationStatus
from szca_unlock.store.models_orders import OrderRow, VerificationRow
from szca_unlock.store.repo_order_parts import (
    add_verification,
    get_latest_verification,
    list_verifications,
    set_verification_status,
)
from szca_unlock.store.transitions import apply_transition

# After this many failed attempts at one step the user is shown where to get help (CS-1).
HELP_AFTER_FAILURES = 3


@dataclass(frozen=True)
class Attempt:
    """A verification row plus what only the moment of the call knows."""

    row: VerificationRow
    order: OrderRow
    qr_png: bytes | None = None
    attempts_left: int | None = None


def _guard(order: OrderRow, step: Step) -> None:
    orders.require_realtime(order)
    next_state(order.state, step.event, mode=order.mode, kind=order.certificate.kind)


def _fail(db: Session, order: OrderRow, step: Step, row: VerificationRow | None,
          error: DomainError, now: datetime, *, method: str = "") -> DomainError:
    """Record a failed attempt (committed, so it counts) and return the error to raise;
    from the third failure of a step on, the error says where to get help (CS-1)."""
    if row is None:
        row = add_verification(db, order, step=step.value, method=method, now=now)
    failures = 1 + sum(1 for v in list_verifications(db, order) if v.id != row.id
                       and v.step == step.value and v.status is VerificationStatus.FAILED)
    if failures >= HELP_AFTER_FAILURES or error.help:
        error.help = CS_HELP
    set_verification_status(db, row, VerificationStatus.FAILED, now=now, detail=replace(
        row.detail, message=error.message, error_code=error.code, help=error.help))
    db.commit()
    return error


def _sent_times(db: Session, order: OrderRow, mobile: str) -> list[datetime]:
    times: list[datetime] = []
    for v in list_verifications(db, order):
        detail = v.detail
        if detail.mobile == mobile:
            times += detail.sent_at
    return times


def _check_resend(ctx: ServiceContext, db: Session, order: OrderRow, mobile: str,
                  now: datetime) -> None:
    otp.check_can_issue(_sent_times(db, order, mobile), now, ctx.otp_policy)


def _begin(ctx: ServiceContext, caller: Principal, order_no: str, step: Step,
           body: VerificationRequest, now: datetime) -> tuple[Person, str | None]:
    """Everything that can be refused before the (billed) provider call, read-only:
    the person to check and, for a deposit, the company name."""
    with ctx.db.session(readonly=True) as db:
        order = orders.own_order(db, caller, order_no)
        _guard(order, step)
        if body.method not in STEP_METHODS[step]:
            choices = "、".join(STEP_METHODS[step].values())
            raise DomainError("method.invalid", f"验证方式不正确，请选择：{choices}", "method")
        person = person_for_step(order, step, typed_person(body.name, body.id_number))
        if body.method.check.proof is Proof.SMS_CODE:
            _check_resend(ctx, db, order, validate_mobile(body.mobile or ""), now)
        org = order.certificate.organisation
        return person, org.name if org is not None else None


def _call_provider(ctx: ServiceContext, person: Person, company: str | None,
                   body: VerificationRequest, order_no: str) -> Started:
    check = body.method.check
    if check is Check.DEPOSIT:
        assert company is not None  # ORG certificates always have one
        return start_deposit(ctx, company, body, order_no)
    return STARTERS[check](ctx, person, body)


def start(ctx: ServiceContext, caller: Principal, order_no: str, step: Step,
          body: VerificationRequest) -> Attempt:
    """Validate (read), call the provider (no transaction), record the attempt (write)."""
    now = ctx.clock()
    person, company = _begin(ctx, caller, order_no, step, body, now)
    try:
        started = _call_provider(ctx, person, company, body, order_no)
    except CheckFailed as failure:
        with ctx.db.session() as db:
            order = orders.own_order(db, caller, order_no)
            error = _fail(db, order, step, None, failure, now, method=body.method.value)
        raise error from None
    pending = None
    with ctx.db.session() as db:
        order = orders.own_order(db, caller, order_no)
        _guard(order, step)  # again: the order may have moved on during the call
        if started.sms_to:  # again, under the write lock: a concurrent start may have sent
            _check_resend(ctx, db, order, started.sms_to, now)
        row = add_verification(
            db, order, step=step.value, method=body.method.value,
            provider_ref=started.provider_ref, now=now,
            detail=replace(started.detail, name=person.name, id_number=person.id_number))
        if started.sms_to:
            pending = codes.record_code(ctx, row, started.sms_to, now, new_row=True)
    if pending is not None:
        codes.send_code(ctx, pending)
    qr = None
    if body.method.check is Check.FACE:
        from szca_unlock.providers.face import qr_png  # QR of the provider's URL

        qr = qr_png(started.detail.url or "")
    return Attempt(row, order, qr_png=qr,
                   attempts_left=ctx.otp_policy.max_attempts if started.sms_to else None)


def _pending(db: Session, order: OrderRow, step: Step, *,
             lock: bool = False) -> VerificationRow:
    row = get_latest_verification(db, order, step.value, for_update=lock)
    if row.status is not VerificationStatus.PENDING:
        raise Conflict("verification_closed", "本次验证已结束，请重新发起验证")
    return row


def _still_pending(db: Session, order: OrderRow, step: Step, row_id: int) -> VerificationRow:
    """The attempt read before a provider call, if it is still the open one now (locked:
    what this transaction writes on it, no parallel request writes from the same read)."""
    row = _pending(db, order, step, lock=True)
    if row.id != row_id:
        raise Conflict("verification_closed", "本次验证已结束，请重新发起验证")
    return row


def resend(ctx: ServiceContext, caller: Principal, order_no: str, step: Step) -> Attempt:
    now = ctx.clock()
    with ctx.db.session() as db:  # short: the SMS goes out after the commit
        order = orders.own_order(db, caller, order_no)
        _guard(order, step)
        row = _pending(db, order, step)
        mobile = row.detail.mobile
        if Method(row.method).check.proof is not Proof.SMS_CODE or not mobile:
            raise Conflict("no_sms_code", "该验证方式无需短信验证码")
        _check_resend(ctx, db, order, mobile, now)
        pending = codes.record_code(ctx, row, mobile, now, new_row=False)
    codes.send_code(ctx, pending)
    return Attempt(row, order, attempts_left=ctx.otp_policy.max_attempts)


def submit_code(ctx: ServiceContext, caller: Principal, order_no: str, step: Step,
                code: str) -> Attempt:
    now = ctx.clock()
    with ctx.db.session(readonly=True) as db:
        order = orders.own_order(db, caller, order_no)
        _guard(order, step)
        row = _pending(db, order, step)
    check = Method(row.method).check
    if check is Check.FACE:
        raise Conflict("face_no_code", "人脸验证无需输入验证码，请使用微信扫码完成验证")
    if check is Check.DEPOSIT:
        return _confirm_deposit(ctx, caller, order_no, step, row, code, now)
    with ctx.db.session() as db:  # the OTP check is local: one short write
        order = orders.own_order(db, caller, order_no)
        _guard(order, step)
        row = _still_pending(db, order, step, row.id)
        _check_otp(ctx, db, order, step, row, code, now)
        _pass(db, order, step, row, caller, now)
    return Attempt(row, order)


def _check_otp(ctx: ServiceContext, db: Session, order: OrderRow, step: Step,
               row: VerificationRow, code: str, now: datetime) -> None:
    detail = row.detail
    # A carrier or bank check is recorded together with its first code (codes.record_code).
    assert detail.code_hash is not None and detail.code_sent_at is not None
    record = otp.OtpRecord(detail.code_hash, detail.code_sent_at, row.expires_at or now,
                           row.attempts, False)
    checked = otp.verify(record, ctx.pepper, f"verify:{row.id}", code, now, ctx.otp_policy)
    row.attempts = checked.record.attempts
    if checked.outcome is otp.OtpOutcome.OK:
        return
    error = otp.otp_error(checked.outcome, checked.attempts_left)
    if checked.outcome is otp.OtpOutcome.EXHAUSTED:
        raise _fail(db, order, step, row, error, now)
    db.commit()  # the counted try survives the error
    raise error


def _confirm_deposit(ctx: ServiceContext, caller: Principal, order_no: str, step: Step,
                     read: VerificationRow, code: str, now: datetime) -> Attempt:
    """Ask the deposit provider (no transaction open), then record its answer on the
    attempt if it is still the open one: a concurrent duplicate cannot apply twice."""
    try:
        transfer = ctx.providers.deposit.confirm(read.provider_ref or "", code)
    except DepositRejected as exc:
        with ctx.db.session() as db:
            order = orders.own_order(db, caller, order_no)
            row = _still_pending(db, order, step, read.id)
            row.attempts += 1
            if exc.reason in (DepositErrorCode.ATTEMPTS_EXHAUSTED,
                              DepositErrorCode.VERIFICATION_EXPIRED):
                exc.help = CS_HELP
                raise _fail(db, order, step, row, exc, now) from None
            db.commit()  # the counted try survives the error
        raise
    if not transfer.verified:
        raise Conflict("deposit_not_verified", "打款验证未通过，请稍后重试")
    with ctx.db.session() as db:
        order = orders.own_order(db, caller, order_no)
        _guard(order, step)
        row = _still_pending(db, order, step, read.id)
        _pass(db, order, step, row, caller, now)
    return Attempt(row, order)


def poll(ctx: ServiceContext, caller: Principal, order_no: str, step: Step) -> Attempt:
    """Ask the provider about a face or deposit check now; a face pass moves the order.
    Read, ask (no transaction open), then write only a change, to the still-open attempt."""
    now = ctx.clock()
    with ctx.db.session(readonly=True) as db:
        order = orders.own_order(db, caller, order_no)
        row = get_latest_verification(db, order, step.value)
    check = Method(row.method).check
    if row.status is not VerificationStatus.PENDING or check not in (Check.FACE, Check.DEPOSIT):
        return Attempt(row, order)
    if check is Check.DEPOSIT:
        status = str(ctx.providers.deposit.status(row.provider_ref or "").status)
        if status == row.detail.transfer_status:
            return Attempt(row, order)
        with ctx.db.session() as db:
            order = orders.own_order(db, caller, order_no)
            row = get_latest_verification(db, order, step.value)
            if row.status is VerificationStatus.PENDING:
                row.detail = replace(row.detail, transfer_status=status)
        return Attempt(row, order)
    result = ctx.providers.face.result(row.provider_ref or "")
    if not (result.verified or result.finished):
        return Attempt(row, order)
    read_id = row.id
    with ctx.db.session() as db:
        order = orders.own_order(db, caller, order_no)
        row = get_latest_verification(db, order, step.value)
        if row.id != read_id or row.status is not VerificationStatus.PENDING:
            return Attempt(row, order)  # a concurrent poll recorded it already
        if result.verified:
            _guard(order, step)
            _pass(db, order, step, row, caller, now)
        else:
            failure = CheckFailed(f"face_{result.outcome}", result.message,
                                  outcome=result.outcome)
            _fail(db, order, step, row, failure, now)  # shown by the view, not raised
    return Attempt(row, order)


def _pass(db: Session, order: OrderRow, step: Step, row: VerificationRow,
          caller: Principal, now: datetime) -> None:
    set_verification_status(db, row, VerificationStatus.PASSED, now=now)
    if step is Step.OPERATOR:
        checked = row.detail
        order.operator_name = checked.name
        order.operator_id_number = checked.id_number
        # The letter (ORG-RT-7) shows a mobile: the verified one, else the login mobile.
        order.operator_mobile = checked.mobile or caller.mobile
    apply_transition(db, order, step.event, caller.actor,
                     note=f"{STEP_METHODS[step][Method(row.method)]}通过", at=now)

