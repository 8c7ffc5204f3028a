"""``/_control``: reset, seed, journal, faults, forced outcomes, outbox, the phone, the bank."""

from __future__ import annotations

import os
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import AfterValidator, BaseModel, Field, WithJsonSchema

from .clock import ClockRangeError
from .control_models import DepositTransfer, FaceSessionInfo, FaultInfo, StatementEntry
from .deposit.errors import DepositError
from .face.errors import SessionExpired, SessionFinished, SessionUnknown
from .face.models import PHONE_OUTCOMES
from .faults import FaultKind, FaultSpecError
from .outcomes import UnknownOutcome
from .records import RecordError
from .sms.models import SmsBackend
from .state import state_of


class ControlError(BaseModel):
    """FastAPI's own error body: a message, or the list of field errors (422)."""

    detail: str | list[dict[str, Any]]


_ERRORS = {400: "The body is not valid JSON", 404: "Unknown face session or verification",
           409: "The face session is already completed / the deposit is not pending",
           410: "The face session expired", 422: "A field is missing or has the wrong value"}
router = APIRouter(prefix="/_control", tags=["control"], responses={
    status: {"model": ControlError, "description": text} for status, text in _ERRORS.items()})


class FaultIn(BaseModel):
    provider: Literal["sms", "carrier", "bank", "face", "deposit"]
    action: str | None = Field(None, description="Tencent action or deposit action; all if omitted")
    kind: FaultKind
    count: int | None = Field(None, ge=1)
    rate: float | None = Field(None, ge=0, le=1)
    # Ten minutes is past every client timeout; more is a typo that would hang the mock.
    latency_ms: int | None = Field(None, ge=0, le=600_000)
    seed: int | None = None
    mobile: str | None = Field(None, max_length=20,
                               description="only calls about this mobile; all if omitted")


class OutcomeIn(BaseModel):
    provider: str
    action: str
    outcome: str


def _phone_outcome(value: str) -> str:
    if value not in PHONE_OUTCOMES:
        raise ValueError(f"not a phone outcome; one of {', '.join(PHONE_OUTCOMES)}")
    return value


# The outcomes are derived from the face codes, so the type is checked against that tuple
# (and shown as an enum in the OpenAPI document).
FaceOutcome = Annotated[str, AfterValidator(_phone_outcome),
                        WithJsonSchema({"type": "string", "enum": list(PHONE_OUTCOMES)})]


class FaceCompleteIn(BaseModel):
    outcome: FaceOutcome = Field(description="pass, liveness_fail, face_mismatch, timeout, "
                                             "cancelled, or errcode_<N> for any documented ErrCode")
    retries: list[FaceOutcome] = Field(
        default_factory=list, max_length=10,
        description="failed tries before the final outcome (LivenessDetail entries)")


class SettleIn(BaseModel):
    result: Literal["transferred", "failed"]


class ClockIn(BaseModel):
    # Strict: a number only (``false`` or ``"5"`` would otherwise be read as 0 and 5).
    advance_s: float = Field(allow_inf_nan=False, strict=True)


class SmsPolicyIn(BaseModel):
    enabled: bool
    per_30s: int = Field(1, ge=1)
    per_hour: int = Field(5, ge=1)
    per_day: int = Field(10, ge=1)
    same_content_per_day: int = Field(10, ge=1)


@router.post("/reset", status_code=204)
def reset(request: Request) -> Response:
    state_of(request).reset()
    return Response(status_code=204)


@router.post("/seed")
def seed(request: Request, records: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    try:
        return state_of(request).seed(records)
    except RecordError as exc:
        raise HTTPException(422, str(exc)) from exc


@router.get("/health")
def health() -> dict[str, str]:
    """Readiness probe: answers at once whatever the world's size (``/records`` lists every
    record: at 200 000 personas it did not answer within a start-up timeout). ``instance``:
    the ``SZCA_INSTANCE_ID`` it was started with, so ``szca-emulator up`` knows the answer
    comes from its own process and not another world's on the same address."""
    instance = os.environ.get("SZCA_INSTANCE_ID", "")
    return {"status": "ok", **({"instance": instance} if instance else {})}


@router.get("/records")
def records(request: Request) -> dict[str, list[dict[str, str]]]:
    return state_of(request).records.as_dict()


@router.get("/journal")
def journal(request: Request, provider: str | None = None, action: str | None = None,
            mobile: str | None = None, id_number: str | None = None,
            limit: int | None = Query(None, ge=1)) -> dict[str, list[dict[str, Any]]]:
    entries = state_of(request).journal.query(provider=provider, action=action, mobile=mobile,
                                            id_number=id_number)
    if limit is not None:
        entries = entries[-limit:]
    return {"entries": [e.as_dict() for e in entries]}


@router.delete("/journal", status_code=204)
def clear_journal(request: Request) -> Response:
    state_of(request).journal.clear()
    return Response(status_code=204)


@router.post("/faults", status_code=201)
def add_fault(request: Request, spec: FaultIn) -> FaultInfo:
    try:
        fault = state_of(request).faults.add(spec.provider, spec.kind, action=spec.action,
                                           count=spec.count, rate=spec.rate,
                                           latency_ms=spec.latency_ms, seed=spec.seed,
                                           mobile=spec.mobile)
    except FaultSpecError as exc:
        raise HTTPException(422, str(exc)) from exc
    return FaultInfo.model_validate(fault.as_dict())


@router.get("/faults")
def list_faults(request: Request) -> dict[str, list[dict[str, object]]]:
    return {"faults": state_of(request).faults.active()}


@router.delete("/faults", status_code=204)
def clear_faults(request: Request) -> Response:
    state_of(request).faults.reset()
    return Response(status_code=204)


@router.post("/next-outcome", status_code=201)
def next_outcome(request: Request, body: OutcomeIn) -> dict[str, list[str]]:
    outcomes = state_of(request).outcomes
    try:
        outcomes.push(body.provider, body.action, body.outcome)
    except UnknownOutcome as exc:
        raise HTTPException(422, str(exc)) from exc
    return outcomes.pending()


@router.get("/sms/outbox")
def outbox(request: Request, mobile: str | None = None) -> dict[str, list[dict[str, object]]]:
    return {"messages": [SmsBackend.message_dict(m) for m in state_of(request).sms.outbox(mobile)]}


@router.post("/sms/policy")
def sms_policy(request: Request, body: SmsPolicyIn) -> dict[str, object]:
    policy = state_of(request).sms.policy
    policy.enabled, policy.per_30s = body.enabled, body.per_30s
    policy.per_hour, policy.per_day = body.per_hour, body.per_day
    policy.same_content_per_day = body.same_content_per_day
    return body.model_dump()


@router.get("/face/{biz_token}")
def face_session(request: Request, biz_token: str) -> FaceSessionInfo:
    try:
        return FaceSessionInfo.model_validate(state_of(request).face.session(biz_token).as_dict())
    except SessionUnknown as exc:
        raise HTTPException(404, f"unknown BizToken {biz_token}") from exc


@router.post("/face/{biz_token}/complete")
def face_complete(request: Request, biz_token: str,
                  body: FaceCompleteIn) -> FaceSessionInfo:
    try:
        session = state_of(request).face.complete(biz_token, body.outcome, tuple(body.retries))
    except SessionUnknown as exc:
        raise HTTPException(404, f"unknown BizToken {biz_token}") from exc
    except SessionFinished as exc:
        raise HTTPException(409, "already_completed") from exc
    except SessionExpired as exc:
        raise HTTPException(410, "biz_token_expired") from exc
    return FaceSessionInfo.model_validate(session.as_dict())


@router.get("/deposit/statement")
def deposit_statement(request: Request,
                      account_number: str) -> dict[str, list[StatementEntry]]:
    entries = state_of(request).deposit.statement(account_number)
    return {"entries": [StatementEntry.model_validate(e) for e in entries]}


@router.post("/deposit/{verification_id}/settle")
def deposit_settle(request: Request, verification_id: str, body: SettleIn) -> DepositTransfer:
    state = state_of(request)
    try:
        verification = state.deposit.settle(verification_id, body.result)
    except DepositError as exc:
        raise HTTPException(exc.status, exc.code) from exc
    return DepositTransfer.model_validate(verification.as_dict(state.clock.now()))


@router.get("/clock")
def clock_now(request: Request) -> dict[str, float]:
    """The business clock now: QA marks it to read only what was sent after a step began."""
    return {"now": state_of(request).clock.now()}


@router.post("/clock")
def clock(request: Request, body: ClockIn) -> dict[str, float]:
    try:
        return {"now": state_of(request).clock.advance(body.advance_s)}
    except ClockRangeError as exc:
        raise HTTPException(422, str(exc)) from exc
