"""Login codes, sessions, staff users and agreement acceptances."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from szca_unlock.store.base import utcnow
from szca_unlock.store.enums import SessionKind, StaffRole
from szca_unlock.store.errors import LoginCodeMissing, NotFound, SessionMissing
from szca_unlock.store.models_access import (
    AgreementAcceptanceRow,
    LoginCodeRow,
    SessionRow,
    StaffUserRow,
)


def add_login_code(session: Session, mobile: str, code_hash: str, *, expires_at: datetime,
                   now: datetime | None = None) -> LoginCodeRow:
    row = LoginCodeRow(mobile=mobile, code_hash=code_hash, created_at=now or utcnow(),
                       expires_at=expires_at, attempts=0, used=False)
    session.add(row)
    session.flush()
    return row


def get_latest_login_code(session: Session, mobile: str, *,
                          for_update: bool = False) -> LoginCodeRow:
    """The newest code sent to ``mobile`` (older ones are superseded). ``for_update``
    locks it until the transaction ends, so parallel tries of one code (on PostgreSQL,
    from several processes) are counted one after the other, never from the same count."""
    query = (select(LoginCodeRow).where(LoginCodeRow.mobile_hash == mobile)
             .order_by(LoginCodeRow.created_at.desc(), LoginCodeRow.id.desc()).limit(1))
    row = session.scalar(query.with_for_update() if for_update else query)
    if row is None:
        raise LoginCodeMissing()
    return row


def count_login_codes_since(session: Session, mobile: str, since: datetime) -> int:
    """How many codes went to ``mobile`` since ``since`` (for send-rate limits)."""
    return session.scalar(select(func.count(LoginCodeRow.id)).where(
        LoginCodeRow.mobile_hash == mobile, LoginCodeRow.created_at >= since)) or 0


def create_session(session: Session, token_hash: str, kind: SessionKind, *,
                   expires_at: datetime, mobile: str | None = None,
                   staff_user_id: int | None = None, now: datetime | None = None) -> SessionRow:
    row = SessionRow(token_hash=token_hash, kind=kind, mobile=mobile,
                     staff_user_id=staff_user_id, created_at=now or utcnow(),
                     expires_at=expires_at, revoked=False)
    session.add(row)
    session.flush()
    return row


def get_session_by_token_hash(session: Session, token_hash: str) -> SessionRow:
    """A live-or-not session by token hash; expiry and revocation are the caller's rules."""
    row = session.scalar(select(SessionRow).where(SessionRow.token_hash == token_hash))
    if row is None:
        raise SessionMissing()
    return row


def revoke_session(session: Session, token_hash: str) -> None:
    get_session_by_token_hash(session, token_hash).revoked = True
    session.flush()


def add_staff_user(session: Session, username: str, password_hash: str, *,
                   display_name: str, role: StaffRole = StaffRole.REVIEWER,
                   now: datetime | None = None) -> StaffUserRow:
    row = StaffUserRow(username=username, password_hash=password_hash, display_name=display_name,
                       role=role, active=True, created_at=now or utcnow())
    session.add(row)
    session.flush()
    return row


def upsert_staff_user(session: Session, username: str, password_hash: str, *,
                      display_name: str, role: StaffRole = StaffRole.REVIEWER) -> StaffUserRow:
    row = session.scalar(select(StaffUserRow).where(StaffUserRow.username == username))
    if row is None:
        return add_staff_user(session, username, password_hash, display_name=display_name,
                              role=role)
    row.password_hash, row.display_name, row.role = password_hash, display_name, role
    session.flush()
    return row


def get_staff_user(session: Session, username: str) -> StaffUserRow:
    row = session.scalar(select(StaffUserRow).where(StaffUserRow.username == username))
    if row is None:
        raise NotFound("staff_user", "用户名或密码错误", "username")
    return row


def record_agreement_acceptance(session: Session, mobile: str, agreement_id: str,
                                agreement_version: str, *, session_id: int | None = None,
                                now: datetime | None = None) -> AgreementAcceptanceRow:
    row = AgreementAcceptanceRow(mobile=mobile, agreement_id=agreement_id,
                                 agreement_version=agreement_version, session_id=session_id,
                                 accepted_at=now or utcnow())
    session.add(row)
    session.flush()
    return row


def list_agreement_acceptances(session: Session, *, mobile: str | None = None,
                               session_id: int | None = None) -> list[AgreementAcceptanceRow]:
    query = select(AgreementAcceptanceRow).order_by(AgreementAcceptanceRow.id)
    if mobile is not None:
        query = query.where(AgreementAcceptanceRow.mobile_hash == mobile)
    if session_id is not None:
        query = query.where(AgreementAcceptanceRow.session_id == session_id)
    return list(session.scalars(query))
