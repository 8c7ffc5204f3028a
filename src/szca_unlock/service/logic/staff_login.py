"""Staff login (ORG-MR-9): username + password of a CA reviewer, a session of role staff.

A wrong user name and a wrong password answer alike and take alike long (a dummy hash is
checked when the user does not exist), so names cannot be probed.
"""

from __future__ import annotations

from functools import cache

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


class BadCredentials(ServiceRefusal):
    http_status = 401

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
    if user is None or not matches or not user.active:
        log.warning("staff login refused")
        raise BadCredentials()
    with ctx.db.session() as db:
        token, row = open_session(db, ctx.sessions, ctx.clock(), kind=SessionKind.STAFF,
                                  staff_user_id=user.id)
    log.info("staff login %s", user.username)
    return token, row, user
