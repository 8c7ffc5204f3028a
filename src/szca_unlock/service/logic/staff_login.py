"""Staff login (ORG-MR-9): username + password of a CA reviewer, a session of role staff.

A wrong user name and a wrong password answer alike and take alike long (a dummy hash is
checked when the user does not exist), so names cannot be probed.

``MAX_FAILED_LOGINS`` wrong passwords in a row lock the account (counted in the database:
no address, forged or not, and no restart resets it); a locked account refuses even the
right password until an administrator unlocks it
(``python -m szca_unlock.service.admin unlock-staff USERNAME``). The per-address limit
still applies on top.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import update
from sqlalchemy.orm import Session

from szca_unlock.logsetup import get_logger
from szca_unlock.service.context import ServiceContext
from szca_unlock.service.errors import ServiceRefusal
from szca_unlock.service.logic.sessions import open_session
from szca_unlock.store.enums import SessionKind
from szca_unlock.store.errors import NotFound
from szca_unlock.store.models_access import SessionRow, StaffUserRow
from szca_unlock.store.passwords import hash_password, verify_password
from szca_unlock.store.repo_access import get_staff_user

log = get_logger("service.staff_login")


MAX_FAILED_LOGINS = 5


class StaffLocked(ServiceRefusal):
    status = 403

    def __init__(self) -> None:
        super().__init__("staff.locked",
                         f"该账号因连续{MAX_FAILED_LOGINS}次密码错误已被锁定，请联系系统管理员解锁",
                         "username")


class BadCredentials(ServiceRefusal):
    status = 401

    def __init__(self) -> None:
        super().__init__("staff.bad_credentials", "用户名或密码错误", "password")


@cache
def _dummy_hash() -> str:
    return hash_password("no such user")


def staff_login(ctx: ServiceContext, username: str,
                password: str) -> tuple[str, SessionRow, StaffUserRow]:
    """Look the user up (read), check the password (scrypt, no transaction open), then
    open the session (a short write)."""
    with ctx.db.session(readonly=True) as db:
        try:
            user: StaffUserRow | None = get_staff_user(db, username.strip())
        except NotFound:
            user = None
    matches = verify_password(password, user.password_hash if user else _dummy_hash())
    if user is not None and user.locked_at is not None:
        log.warning("staff login refused: account locked")
        raise StaffLocked()
    if user is not None and not matches and _count_failure(ctx, user.id):
        log.warning("staff account locked after %d wrong passwords", MAX_FAILED_LOGINS)
        raise StaffLocked()
    if user is None or not matches or not user.active:
        log.warning("staff login refused")
        raise BadCredentials()
    with ctx.db.session() as db:
        # Locked meanwhile (a concurrent wrong try)? Then this one does not get in either.
        fresh = db.get(StaffUserRow, user.id)
        if fresh is None or fresh.locked_at is not None:
            raise StaffLocked()
        fresh.failed_logins = 0
        token, row = open_session(db, ctx.sessions, ctx.clock(), kind=SessionKind.STAFF,
                                  staff_user_id=user.id)
    log.info("staff login %s", user.username)
    return token, row, user


def _count_failure(ctx: ServiceContext, user_id: int) -> bool:
    """One more wrong password (an atomic increment); True if that locked the account."""
    with ctx.db.session() as db:
        db.execute(update(StaffUserRow).where(StaffUserRow.id == user_id)
                   .values(failed_logins=StaffUserRow.failed_logins + 1))
        db.execute(update(StaffUserRow).where(StaffUserRow.id == user_id,
                                              StaffUserRow.failed_logins >= MAX_FAILED_LOGINS,
                                              StaffUserRow.locked_at.is_(None))
                   .values(locked_at=ctx.clock()))
        row = db.get(StaffUserRow, user_id, populate_existing=True)
        return row is not None and row.locked_at is not None


def unlock_staff(db: Session, username: str) -> bool:
    """An administrator's unlock: clears the lock and the count; False if not locked."""
    user = get_staff_user(db, username)
    was_locked = user.locked_at is not None
    user.locked_at, user.failed_logins = None, 0
    return was_locked
