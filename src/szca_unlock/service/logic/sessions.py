"""Bearer sessions: random tokens, stored hashed, idle and absolute expiry.

``expires_at`` slides: an authenticated request pushes it to ``now + idle``, but never
past ``created_at + max_lifetime``. To keep reads read-only, the slide is written at most
once a minute per session (``SLIDE_STEP``), in a short write transaction of its own: the
idle timeout is therefore exact to within that minute.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from szca_unlock.service.context import SessionPolicy
from szca_unlock.service.errors import Unauthenticated
from szca_unlock.store.database import Database
from szca_unlock.store.enums import SessionKind
from szca_unlock.store.errors import NotFound
from szca_unlock.store.models_access import SessionRow
from szca_unlock.store.repo_access import create_session, get_session_by_token_hash

_EXPIRED = "登录已过期，请重新登录"
SLIDE_STEP = timedelta(minutes=1)


@dataclass(frozen=True)
class Principal:
    """Who is calling: an applicant (by mobile) or a staff member."""

    session_id: int
    kind: SessionKind
    mobile: str | None
    staff_user_id: int | None
    expires_at: datetime

    @property
    def actor(self) -> str:
        """How the audit trail names this caller (mobile masked)."""
        if self.kind is SessionKind.STAFF:
            return f"staff:{self.staff_user_id}"
        mobile = self.mobile or ""
        return f"applicant:{mobile[:3]}****{mobile[-4:]}"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(db: Session, policy: SessionPolicy, now: datetime, *, kind: SessionKind,
                 mobile: str | None = None, staff_user_id: int | None = None
                 ) -> tuple[str, SessionRow]:
    token = secrets.token_urlsafe(32)
    row = create_session(db, _hash(token), kind, mobile=mobile, staff_user_id=staff_user_id,
                         expires_at=min(now + policy.idle_timeout, now + policy.max_lifetime),
                         now=now)
    return token, row


def authenticate(database: Database, policy: SessionPolicy, now: datetime,
                 token: str) -> Principal:
    """The caller behind ``token``; slides the idle expiry. Raises ``Unauthenticated``."""
    with database.session(readonly=True) as db:
        try:
            row: SessionRow | None = get_session_by_token_hash(db, _hash(token))
        except NotFound:
            row = None
    if row is None or row.revoked:
        raise Unauthenticated("登录状态无效，请重新登录")
    if now >= row.expires_at:
        raise Unauthenticated(_EXPIRED)
    expires_at = row.expires_at
    wanted = min(now + policy.idle_timeout, row.created_at + policy.max_lifetime)
    if wanted - expires_at >= SLIDE_STEP:
        with database.session() as db:
            # Guarded: a logout or a later slide in between is not undone.
            db.execute(update(SessionRow).where(
                SessionRow.id == row.id, SessionRow.revoked.is_(False),
                SessionRow.expires_at < wanted).values(expires_at=wanted))
        expires_at = wanted
    return Principal(row.id, row.kind, row.mobile, row.staff_user_id, expires_at)


def close_session(db: Session, session_id: int) -> None:
    row = db.get(SessionRow, session_id)
    if row is not None:
        row.revoked = True
