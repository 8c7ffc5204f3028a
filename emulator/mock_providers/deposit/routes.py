"""/deposit/v1: parse, check the HMAC signature, call the deposit backend, serialise."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ..state import ProviderState, state_of
from . import auth

PREFIX = "/deposit/v1"


class CreateVerification(BaseModel):
    company_name: str = Field(min_length=1, examples=["深圳市示例科技有限公司"])
    bank_name: str = Field(min_length=1, examples=["中国工商银行"])
    branch_name: str = Field(min_length=1, examples=["深圳福田支行"])
    account_number: str = Field(min_length=1, examples=["990000000000"])
    # What the payer's system files the transfer under (the CA's order number); finance
    # sees it beside the remark on the statement.
    reference: str | None = Field(None, max_length=64, examples=["U20261126000001"])


class ConfirmVerification(BaseModel):
    code: str = Field(examples=["123456"])


class VerificationOut(BaseModel):
    verification_id: str
    status: str
    amount: str | None = None
    expires_at: str | None = None


class DepositErrorDetail(BaseModel):
    code: str
    message: str
    attempts_left: int | None = None


class DepositErrorBody(BaseModel):
    error: DepositErrorDetail


_ERRORS = {400: "Malformed body (BAD_REQUEST) or wrong code (CODE_MISMATCH)",
           401: "SIGNATURE_INVALID", 404: "ACCOUNT_NOT_FOUND / VERIFICATION_NOT_FOUND",
           409: "TRANSFER_PENDING / TRANSFER_FAILED", 410: "VERIFICATION_EXPIRED",
           422: "VALIDATION_ERROR / ACCOUNT_NAME_MISMATCH", 429: "ATTEMPTS_EXHAUSTED"}


async def signed(request: Request) -> ProviderState:
    """Dependency: refuse the call unless the X-SZCA-* headers sign this exact request."""
    state = state_of(request)
    auth.verify(method=request.method, path=request.url.path,
                headers={k.lower(): v for k, v in request.headers.items()},
                body=await request.body(), keys=state.credentials.deposit, nonces=state.nonces,
                now=time.time())
    return state


SignedState = Annotated[ProviderState, Depends(signed)]

router = APIRouter(prefix=PREFIX, tags=["micro-deposit"], responses={
    status: {"model": DepositErrorBody, "description": text} for status, text in _ERRORS.items()})


@router.post("/verifications", status_code=201, response_model=VerificationOut)
def create_verification(body: CreateVerification,
                        state: SignedState) -> dict[str, Any]:
    forced = state.outcomes.take("deposit", "create_verification")
    verification = state.deposit.create(company_name=body.company_name, bank_name=body.bank_name,
                                        branch_name=body.branch_name,
                                        account_number=body.account_number,
                                        reference=body.reference, forced=forced)
    return verification.as_dict(state.clock.now())


@router.get("/verifications/{verification_id}", response_model=VerificationOut)
def get_verification(verification_id: str, state: SignedState) -> dict[str, Any]:
    return state.deposit.get(verification_id).as_dict(state.clock.now())


@router.post("/verifications/{verification_id}/confirm", response_model=VerificationOut,
             response_model_exclude_none=True)
def confirm_verification(verification_id: str, body: ConfirmVerification,
                         state: SignedState) -> JSONResponse:
    forced = state.outcomes.take("deposit", "confirm_verification")
    verification = state.deposit.confirm(verification_id, body.code, forced)
    return JSONResponse({"verification_id": verification.verification_id,
                         "status": verification.status})
