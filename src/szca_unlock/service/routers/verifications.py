"""ORG-RT-6 (operator), ORG-RT-8 (enterprise), PER-RT-5 (identity): one set of routes.

The logic opens its own short transactions around the provider calls; the response is
read afterwards in a read-only one (``ReadDb``)."""

from __future__ import annotations

from fastapi import APIRouter, status

from szca_unlock.api.verifications import StartVerification, SubmitCode, VerificationOutcome
from szca_unlock.domain.verification_methods import Step, VerificationRequest
from szca_unlock.service.deps import Applicant, Ctx, ReadDb, limit_by_address
from szca_unlock.service.logic import verification
from szca_unlock.service.responses import APPLICANT_ORDER, PROVIDER, errors
from szca_unlock.service.views.verification import verification_outcome

router = APIRouter(prefix="/orders/{order_no}/verifications/{step}", tags=["verifications"],
                   dependencies=[limit_by_address("verification")],
                   responses=errors(*APPLICANT_ORDER, *PROVIDER))


def _outcome(ctx: Ctx, db: ReadDb, attempt: verification.Attempt) -> VerificationOutcome:
    return verification_outcome(db, attempt, ctx.otp_policy)


@router.post("", status_code=status.HTTP_201_CREATED)
def start_verification(order_no: str, step: Step, body: StartVerification, caller: Applicant,
                       ctx: Ctx, db: ReadDb) -> VerificationOutcome:
    request = VerificationRequest(**body.model_dump())
    return _outcome(ctx, db, verification.start(ctx, caller, order_no, step, request))


@router.get("")
def get_verification(order_no: str, step: Step, caller: Applicant, ctx: Ctx,
                     db: ReadDb) -> VerificationOutcome:
    return _outcome(ctx, db, verification.poll(ctx, caller, order_no, step))


@router.post("/code")
def submit_code(order_no: str, step: Step, body: SubmitCode, caller: Applicant, ctx: Ctx,
                db: ReadDb) -> VerificationOutcome:
    return _outcome(ctx, db, verification.submit_code(ctx, caller, order_no, step, body.code))


@router.post("/resend")
def resend_code(order_no: str, step: Step, caller: Applicant, ctx: Ctx,
                db: ReadDb) -> VerificationOutcome:
    return _outcome(ctx, db, verification.resend(ctx, caller, order_no, step))
