"""The answers of the ``/_control`` API: the routes declare them (so the OpenAPI document
shows them) and ``ProviderControl`` reads them, one definition for both sides."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from .faults import FaultKind


class FaceSessionInfo(BaseModel):
    """A liveness session as the phone side sees it (``GET /_control/face/{token}``)."""

    biz_token: str
    rule_id: str
    url: str
    status: Literal["pending", "completed"]
    outcome: str | None  # what the phone did, once completed
    result: str | None  # what GetDetectInfoEnhanced reports (the outcome refined by records)
    created_at: float
    expires_at: float
    queries: int


class FaultInfo(BaseModel):
    """One injected fault (``POST /_control/faults``)."""

    fault_id: int
    provider: str
    action: str | None
    kind: FaultKind
    count: int | None
    rate: float | None
    latency_ms: int
    mobile: str | None = None  # only calls about this mobile
    hits: int


class DepositTransfer(BaseModel):
    """A micro-deposit verification as the bank reports it after a settle."""

    verification_id: str
    status: str  # transferred | pending | failed | verified | expired
    amount: str
    expires_at: str  # ISO 8601, UTC


class StatementEntry(BaseModel):
    """One credit on the company's bank statement, what finance reads the remark code off."""

    verification_id: str
    amount: str
    remark: str
    payer: str
    account_name: str
    credited_at: str
    reference: str | None = None  # the order the transfer was made for (业务单号)
