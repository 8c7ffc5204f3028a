"""C-1 / *-1: SMS login, logout, who am I."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from szca_unlock.api.auth import (
    LoginRequest,
    LoginResponse,
    Me,
    SmsCodeRequest,
    SmsCodeSent,
)
from szca_unlock.service.deps import Caller, Ctx, ReadDb, limit_by_address
from szca_unlock.service.logic import agreements, login
from szca_unlock.service.logic.sessions import close_session
from szca_unlock.service.responses import PROVIDER, errors
from szca_unlock.service.views import auth as views

router = APIRouter(prefix="/auth", tags=["auth"], responses=errors(400, 401, 403, *PROVIDER))


@router.post("/sms-code", status_code=status.HTTP_202_ACCEPTED,
             dependencies=[limit_by_address("sms_code")])
def request_sms_code(body: SmsCodeRequest, ctx: Ctx) -> SmsCodeSent:
    sent = login.send_login_code(ctx, body.mobile)  # its own transactions around the SMS
    return views.code_sent(sent)


@router.post("/login", dependencies=[limit_by_address("login")])
def log_in(body: LoginRequest, ctx: Ctx) -> LoginResponse:
    with ctx.db.session() as db:  # committed in this thread (deps.py)
        token, row = login.login(ctx, db, body.mobile, body.code)
        return views.logged_in(token, row, ctx.sessions.idle_timeout)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def log_out(caller: Caller, ctx: Ctx) -> Response:
    with ctx.db.session() as db:  # committed in this thread (deps.py)
        close_session(db, caller.session_id)
        return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me")
def me(caller: Caller, ctx: Ctx, db: ReadDb) -> Me:
    return views.me(caller, agreements.all_accepted(db, caller.session_id))
