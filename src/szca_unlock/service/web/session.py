"""Page sessions: the login's session token in an HttpOnly, SameSite cookie.

The token is the same kind of session the API hands out as a bearer token (one store,
one expiry rule: docs/decisions/service.md), but a page never sees it: script cannot
read the cookie, and the API never accepts it (bearer only), so the cookie cannot be
used cross-site against ``/api``. Lax, not Strict: the face check's H5 page sends the
user back to the portal by a top-level navigation, which must arrive logged in.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request, Response

from szca_unlock.domain.errors import DomainError
from szca_unlock.service.deps import Ctx
from szca_unlock.service.errors import Unauthenticated
from szca_unlock.service.logic.sessions import Principal, authenticate
from szca_unlock.store.enums import SessionKind

SESSION_COOKIE = "szca_session"
# The reviewers' console has its own cookie, sent only to /console and never cross-site
# (Strict: no link from elsewhere needs to arrive logged in): an applicant's cookie never
# opens a console page, a reviewer's never acts as an applicant.
STAFF_COOKIE = "szca_staff"
CONSOLE = "/console"


class LoginRequired(Exception):
    """No valid page session: the pages answer with a redirect to their login page."""

    def __init__(self, next_path: str, message: str | None = None, *,
                 login_path: str = "/login") -> None:
        super().__init__(message or "请先登录网上营业厅")
        self.next_path = next_path
        self.message = message
        self.login_path = login_path

    @property
    def location(self) -> str:
        return f"{self.login_path}?next={quote(self.next_path, safe='/')}"


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", path="/",
                        secure=request.url.scheme == "https")


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or None


def page_principal(request: Request, ctx: Ctx) -> Principal:
    token = session_token(request)
    next_path = request.url.path if request.method == "GET" else "/unlock/guide"
    if not token:
        raise LoginRequired(next_path)
    try:
        principal = authenticate(ctx.db, ctx.sessions, ctx.clock(), token)
    except Unauthenticated as exc:
        raise LoginRequired(next_path, exc.message) from exc
    if principal.kind is not SessionKind.APPLICANT or not principal.mobile:
        raise LoginRequired(next_path, "请使用手机号码登录网上营业厅后办理")
    return principal


def set_staff_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(STAFF_COOKIE, token, httponly=True, samesite="strict", path=CONSOLE,
                        secure=request.url.scheme == "https")


def clear_staff_cookie(response: Response) -> None:
    response.delete_cookie(STAFF_COOKIE, path=CONSOLE)


def page_staff(request: Request, ctx: Ctx) -> Principal:
    """The reviewer of a console page, from the console's own cookie."""
    token = request.cookies.get(STAFF_COOKIE)
    next_path = request.url.path if request.method == "GET" else f"{CONSOLE}/reviews"
    login_path = f"{CONSOLE}/login"
    if not token:
        raise LoginRequired(next_path, login_path=login_path)
    try:
        principal = authenticate(ctx.db, ctx.sessions, ctx.clock(), token)
    except Unauthenticated as exc:
        raise LoginRequired(next_path, exc.message, login_path=login_path) from exc
    if principal.kind is not SessionKind.STAFF:
        raise LoginRequired(next_path, "仅限深圳CA审核人员访问", login_path=login_path)
    return principal


def optional_principal(request: Request, ctx: Ctx) -> Principal | None:
    try:
        return page_principal(request, ctx)
    except (LoginRequired, DomainError):
        return None


PageApplicant = Annotated[Principal, Depends(page_principal)]
MaybeApplicant = Annotated[Principal | None, Depends(optional_principal)]
PageStaff = Annotated[Principal, Depends(page_staff)]
