"""The SMS codes of the carrier and bank checks: issued and recorded in a short write
transaction, sent after it, and taken back if the SMS provider fails, so a code that
never left the service neither blocks the resend timer nor stays usable.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from szca_unlock.domain import otp
from szca_unlock.domain.verification_detail import VerificationDetail
from szca_unlock.providers import SmsTemplate
from szca_unlock.service.context import ServiceContext
from szca_unlock.store.models_orders import VerificationRow


@dataclass(frozen=True)
class RowBefore:
    """A row's code state before a new code was recorded on it."""

    attempts: int
    expires_at: datetime | None
    detail: VerificationDetail


@dataclass(frozen=True)
class PendingCode:
    """A code recorded on its row but not yet sent; ``before`` undoes the record
    (``None``: the row itself was made for this code and is removed)."""

    row_id: int
    mobile: str
    code: str
    code_hash: str
    before: RowBefore | None


def record_code(ctx: ServiceContext, row: VerificationRow, mobile: str, now: datetime, *,
                new_row: bool) -> PendingCode:
    """Issue a code for ``row`` (inside the caller's write transaction)."""
    detail = row.detail
    before = None if new_row else RowBefore(row.attempts, row.expires_at, detail)
    code, record = otp.issue(ctx.pepper, f"verify:{row.id}", now, ctx.otp_policy)
    row.attempts = 0
    row.expires_at = record.expires_at
    row.detail = replace(detail, code_hash=record.code_hash, code_sent_at=now,
                         sent_at=(*detail.sent_at, now))
    return PendingCode(row.id, mobile, code, record.code_hash, before)


def send_code(ctx: ServiceContext, pending: PendingCode) -> None:
    """Send the code (no transaction open); on any failure undo its record and re-raise."""
    minutes = str(int(ctx.otp_policy.ttl.total_seconds() // 60))
    try:
        ctx.providers.sms.send(pending.mobile, SmsTemplate.VERIFICATION_CODE,
                               [pending.code, minutes])
    except Exception:
        _undo(ctx, pending)
        raise


def _undo(ctx: ServiceContext, pending: PendingCode) -> None:
    with ctx.db.session() as db:
        row = db.get(VerificationRow, pending.row_id)
        # Only our own record: a later resend or a decided check is left alone.
        if row is None or row.detail.code_hash != pending.code_hash:
            return
        if pending.before is None:
            db.delete(row)
            return
        row.attempts = pending.before.attempts
        row.expires_at = pending.before.expires_at
        row.detail = pending.before.detail
