"""Request and response models of the staff side (review queue, ORG-MR-9 / PER-MR-7)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, StringConstraints

from szca_unlock.api.common import Request, Text
from szca_unlock.api.manual import (
    DeadlineView,
    DocumentView,
    ManualView,
    ReasonView,
)
from szca_unlock.api.orders import OrderView

Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class StaffLogin(Request):
    username: Text
    password: Annotated[str, StringConstraints(min_length=1, max_length=128)]


class StaffLoginResponse(BaseModel):
    token: str
    role: str
    username: str
    display_name: str
    expires_at: datetime
    idle_timeout: int


class QueueItem(BaseModel):
    order_no: str
    certificate_type: str
    subject_dn: str
    holder_name: str
    review_round: int
    submitted_at: datetime
    deadline: DeadlineView | None
    overdue: bool


class ReviewQueue(BaseModel):
    """One page of the queue, nearest deadline first; ``count`` is every waiting order,
    ``next_cursor`` fetches the next page (None: last)."""

    count: int
    orders: list[QueueItem]
    next_cursor: str | None = None


class ReviewDetail(ManualView):
    """What the reviewer sees: the applicant's page plus every file ever uploaded, the
    reasons they may choose and what to check by eye."""

    owner_mobile_masked: str
    documents: list[DocumentView]
    reasons: list[ReasonView]
    checks: list[str]


class Approve(Request):
    note: Note | None = None


class Reject(Request):
    reason_codes: list[Annotated[str, StringConstraints(max_length=64)]]
    detail: Note | None = None


class Notification(BaseModel):
    sent: bool
    mobile_masked: str
    error: str | None = None


class Decision(BaseModel):
    order: OrderView
    notification: Notification | None = None
