"""C-1 SMS login: send a code through the SMS provider, exchange it for a session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from szca_unlock.domain import otp
from szca_unlock.domain.validators import mask_mobile, validate_mobile
from szca_unlock.logsetup import get_logger
from szca_unlock.providers.sms import SmsTemplate
from szca_unlock.service.context import ServiceContext
from szca_unlock.service.logic.sessions import open_session
from szca_unlock.store.enums import SessionKind
from szca_unlock.store.models_access import LoginCodeRow, SessionRow
from szca_unlock.store.repo_access import add_login_code, get_latest_login_code

log = get_logger("service.login")


@dataclass(frozen=True)
class CodeSent:
    mobile: str
    expires_in: int
    resend_after: int


def send_login_code(ctx: ServiceContext, raw_mobile: str) -> CodeSent:
    """Check the limits and record the code in one short write transaction (so two
    concurrent requests cannot both pass the resend timer), send it with no transaction
    open, and take the record back if the SMS provider fails: a code that never left
    must not block the resend timer."""
    mobile = validate_mobile(raw_mobile)
    now = ctx.clock()
    code, record = otp.issue(ctx.pepper, f"login:{mobile}", now, ctx.otp_policy)
    with ctx.db.session() as db:
        since = now - timedelta(hours=1)
        recent = db.scalars(select(LoginCodeRow.created_at).where(
            LoginCodeRow.mobile_hash == mobile, LoginCodeRow.created_at > since)).all()
        otp.check_can_issue(recent, now, ctx.otp_policy)
        row_id = add_login_code(db, mobile, record.code_hash, expires_at=record.expires_at,
                                now=now).id
    try:
        ctx.providers.sms.send(mobile, SmsTemplate.LOGIN_CODE,
                               [code, str(int(ctx.otp_policy.ttl.total_seconds() // 60))])
    except Exception:
        with ctx.db.session() as db:
            db.execute(delete(LoginCodeRow).where(LoginCodeRow.id == row_id))
        raise
    log.info("login code sent to %s", mask_mobile(mobile))
    return CodeSent(mobile, int(ctx.otp_policy.ttl.total_seconds()),
                    int(ctx.otp_policy.resend_interval.total_seconds()))


def login(ctx: ServiceContext, db: Session, raw_mobile: str, code: str
          ) -> tuple[str, SessionRow]:
    """Check the newest code sent to the mobile; on success open an applicant session.

    Only the newest code counts: requesting a new one retires the older ones."""
    mobile = validate_mobile(raw_mobile)
    row = get_latest_login_code(db, mobile, for_update=True)
    record = otp.OtpRecord(row.code_hash, row.created_at, row.expires_at, row.attempts,
                           row.used)
    check = otp.verify(record, ctx.pepper, f"login:{mobile}", code, ctx.clock(),
                       ctx.otp_policy)
    row.attempts, row.used = check.record.attempts, check.record.used
    if check.outcome is not otp.OtpOutcome.OK:
        db.commit()  # the counted try must survive the error
        check.raise_for_outcome()
    log.info("login %s", mask_mobile(mobile))
    return open_session(db, ctx.sessions, ctx.clock(), kind=SessionKind.APPLICANT,
                        mobile=mobile)
