"""Request and response models of the manual-review flow (ORG-MR, PER-MR)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, StringConstraints

from szca_unlock.api.common import Request
from szca_unlock.api.orders import OrderView

# Optional on the wire: the service names the missing field itself, with the form's label.
Field = Annotated[str, StringConstraints(max_length=200)] | None


class ManualForm(Request):
    """ORG-MR-5 (机构证书) or PER-MR-5 (机构个人/自然人证书); fields of the other kind of
    certificate must be left out."""

    org_name: Field = None
    org_id_type: Field = None
    org_id_number: Field = None
    fee: Annotated[str, StringConstraints(max_length=10)] | int | None = None
    province: Field = None
    city: Field = None
    address: Field = None
    operator_name: Field = None
    operator_id_number: Field = None
    operator_mobile: Field = None
    operator_title: Field = None
    operator_email: Field = None
    applicant_name: Field = None
    applicant_id_number: Field = None
    applicant_mobile: Field = None


class DocumentView(BaseModel):
    id: int
    slot: str
    slot_label: str
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    review_round: int
    uploaded_at: datetime
    status: str  # current | replaced | withdrawn
    status_label: str


class SlotView(BaseModel):
    slot: str
    label: str
    hint: str
    required: bool  # False: one of several (medical: 工作证 or 手持身份证)
    document: DocumentView | None = None


class ManualFaceView(BaseModel):
    required: bool
    status: str  # none | pending | passed | failed
    message: str
    url: str | None = None
    qr_png_base64: str | None = None


class ReasonView(BaseModel):
    code: str
    label: str
    hint: str


class RoundView(BaseModel):
    round: int
    decision: str | None  # approved | rejected | None (waiting)
    decision_label: str
    decided_at: datetime | None = None
    reasons: list[ReasonView] = []
    detail: str | None = None
    reviewer: str | None = None  # staff views only
    documents: list[DocumentView] = []


class DeadlineView(BaseModel):
    due: datetime
    due_date: str  # Beijing date, YYYY-MM-DD
    estimated: bool
    text: str


class ManualView(BaseModel):
    """The 人工审核 page of one order (also 我的业务单 → 编辑)."""

    order: OrderView
    fields: dict[str, Any] | None
    form_revision: int
    requirement: str
    slots: list[SlotView]
    face: ManualFaceView
    missing: list[str]
    can_edit: bool
    can_submit: bool
    deadline: DeadlineView | None
    rejection: RoundView | None
    rounds: list[RoundView]
    notes: list[str]


class RegionList(BaseModel):
    provinces: list[str]


class CityList(BaseModel):
    province: str
    cities: list[str]
