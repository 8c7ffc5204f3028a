"""C-1 登录 as pages: mobile + 获取验证码 (59 s countdown) + code + 登录, and 退出.

The handlers call the same logic as ``/api/auth`` (``logic.login``); the session token
goes into the HttpOnly cookie instead of the response body.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from szca_unlock.domain.errors import DomainError
from szca_unlock.domain.rate_limit import RateLimited
from szca_unlock.service.deps import Ctx, client_address
from szca_unlock.service.logic import login
from szca_unlock.service.logic.sessions import close_session
from szca_unlock.service.web.render import page_error, render
from szca_unlock.service.web.session import (
    MaybeApplicant,
    clear_session_cookie,
    page_principal,
    set_session_cookie,
)

router = APIRouter(include_in_schema=False)
HOME = "/unlock/guide"


def _safe_next(next_path: str | None) -> str:
    """Only a path of this site: never an absolute or scheme-relative URL (open redirect)."""
    if next_path and next_path.startswith("/") and not next_path.startswith(("//", "/\\")):
        return next_path
    return HOME


def _sms_message(sent: login.CodeSent) -> str:
    return (f"验证码已发送至尾号{sent.mobile[-4:]}的手机，"
            f"{sent.expires_in // 60}分钟内有效")


def _login_page(request: Request, *, mobile: str = "", next_path: str = HOME,
                error: dict[str, object] | None = None, notice: str = "",
                resend_after: int = 0, status_code: int = 200) -> Response:
    return render(request, "login.html",
                  {"mobile": mobile, "next": next_path, "error": error, "notice": notice,
                   "resend_after": resend_after},
                  page="login", title="登录", status_code=status_code)


@router.get("/")
def home(caller: MaybeApplicant) -> RedirectResponse:
    return RedirectResponse(HOME if caller else "/login", status_code=303)


@router.get("/login")
def login_page(request: Request, caller: MaybeApplicant, next: str | None = None) -> Response:
    if caller:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_page(request, next_path=_safe_next(next))


@router.post("/login/sms-code")
def send_code(request: Request, ctx: Ctx, mobile: Annotated[str, Form()] = "",
              next: Annotated[str, Form()] = HOME) -> Response:
    """获取验证码. A script asks for JSON (``Accept: application/json``) and counts down on
    the button; without script the login page comes back with the notice."""
    wants_json = "application/json" in request.headers.get("accept", "")
    try:
        ctx.limiter.hit(ctx.limits.sms_code, client_address(request))
        sent = login.send_login_code(ctx, mobile)
    except DomainError as exc:
        error = page_error(exc)
        retry = exc.retry_after if isinstance(exc, RateLimited) else 0
        if wants_json:
            return JSONResponse({"error": error, "retry_after": retry},
                                status_code=int(error["status"]))
        return _login_page(request, mobile=mobile, next_path=_safe_next(next), error=error,
                           status_code=int(error["status"]))
    if wants_json:
        return JSONResponse({"message": _sms_message(sent), "resend_after": sent.resend_after},
                            status_code=202)
    return _login_page(request, mobile=mobile, next_path=_safe_next(next),
                       notice=_sms_message(sent), resend_after=sent.resend_after)


@router.post("/login")
def log_in(request: Request, ctx: Ctx, mobile: Annotated[str, Form()] = "",
           code: Annotated[str, Form()] = "", next: Annotated[str, Form()] = HOME) -> Response:
    try:
        ctx.limiter.hit(ctx.limits.login, client_address(request))
        if not code.strip():
            raise DomainError("otp.required", "请输入短信验证码", "code")
        with ctx.db.session() as db:  # committed in this thread (deps.py)
            token, _ = login.login(ctx, db, mobile, code.strip())
    except DomainError as exc:
        error = page_error(exc)
        return _login_page(request, mobile=mobile, next_path=_safe_next(next), error=error,
                           status_code=int(error["status"]))
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session_cookie(response, request, token)
    return response


@router.post("/logout")
def log_out(request: Request, ctx: Ctx) -> Response:
    try:
        principal = page_principal(request, ctx)
    except Exception:  # already logged out or expired: just clear the cookie
        principal = None
    if principal is not None:
        with ctx.db.session() as db:
            close_session(db, principal.session_id)
    response = RedirectResponse(f"/login?next={quote(HOME)}", status_code=303)
    clear_session_cookie(response)
    return response
