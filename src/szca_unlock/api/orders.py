from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from szca_unlock.api.common import Request, Text
from szca_unlock.domain.orders import OrderMode


class OrganisationView(BaseModel):
    name: str
    uscc: str


class CertificateView(BaseModel):
    serial: str
    kind: str
    kind_label: str
    medical: bool
    type_label: str
    subject_dn: str
    holder_name: str
    # PER-RT-5 核对姓名和身份证号码: the holder's ID number, all but the last 4 digits masked
    # (None for an organisation certificate).
    holder_id_masked: str | None = None
    organisation: OrganisationView | None = None
    not_before: datetime
    not_after: datetime
    status: str
    status_label: str


class CreateOrder(Request):
    certificate_serial: Text
    mode: OrderMode


class ProgressView(BaseModel):
    steps: list[str]
    current: int
    current_label: str
    done: bool


class HistoryEntry(BaseModel):
    event: str
    label: str
    from_state: str
    to_state: str
    to_state_label: str
    at: datetime
    note: str | None = None


class VerificationSummary(BaseModel):
    step: str
    method: str
    method_label: str
    status: str
    at: datetime


class MethodOption(BaseModel):
    method: str
    label: str


class MethodChoice(BaseModel):
    """One 验证方式 drop-down of a real-time order: options in the page's order, and the one
    the page preselects."""

    step: str
    step_label: str
    options: list[MethodOption]
    default: str


class OrderSummary(BaseModel):
    order_no: str
    mode: str
    mode_label: str
    state: str
    state_label: str
    certificate_serial: str
    certificate_type: str
    subject_dn: str
    created_at: datetime
    updated_at: datetime


class UnlockStatusView(BaseModel):
    """What the service knows about the order's latest unlock authorisation."""

    kind: str  # card | so_pin
    key_serial: str
    status: str  # awaiting_confirmation | confirmed
    issued_at: datetime
    expires_at: datetime
    confirmed_at: datetime | None = None
    attempts: int
    message: str


class OrderView(OrderSummary):
    key_serial: str
    certificate: CertificateView
    progress: ProgressView | None
    next_steps: list[str]
    history: list[HistoryEntry]
    verifications: list[VerificationSummary]
    review_round: int
    review_deadline: datetime | None
    unlock: UnlockStatusView | None = None
    method_choices: list[MethodChoice] = []


class OrderList(BaseModel):
    """One page of 我的业务单, newest first; ``next_cursor`` fetches the next (None: last)."""

    orders: list[OrderSummary]
    next_cursor: str | None = None


class ResultScreen(BaseModel):
    """恭喜!审核已通过 (PER-RT-6 / ORG-RT-9 / ORG-MR-11)."""

    title: str
    order_no: str
    subject_dn: str
    certificate_type: str
    action: str
