from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from szca_unlock.api.common import Request, Text
from szca_unlock.api.orders import OrderView
from szca_unlock.domain.verification_methods import Method


class StartVerification(Request):
    """ORG-RT-6 / ORG-RT-8 / PER-RT-5: the person, the method and what the method needs."""

    method: Method
    name: Text
    id_number: Text
    mobile: Text | None = None
    bank_card: Text | None = None
    bank_name: Text | None = None
    branch_name: Text | None = None
    account_number: Text | None = None


class SubmitCode(Request):
    code: Text


class FaceView(BaseModel):
    url: str
    qr_png_base64: str


class DepositView(BaseModel):
    amount: str
    status: str


class VerificationView(BaseModel):
    step: str
    method: str
    method_label: str
    status: str
    message: str
    mobile_masked: str | None = None
    resend_after: int | None = None
    attempts_left: int | None = None
    expires_at: datetime | None = None
    face: FaceView | None = None
    deposit: DepositView | None = None


class VerificationOutcome(BaseModel):
    verification: VerificationView
    order: OrderView


class OrganisationInfo(BaseModel):
    name: str
    uscc: str
    legal_rep_name: str | None = None


class ConfirmOrganisation(Request):
    legal_rep_name: Text
    legal_rep_id_number: Text


class LetterField(BaseModel):
    label: str
    value: str


class AuthorizationLetterView(BaseModel):
    version: str
    title: str
    fields: list[LetterField]
    paragraphs: list[str]
    confirmed: bool


class ConfirmLetter(Request):
    version: Text
