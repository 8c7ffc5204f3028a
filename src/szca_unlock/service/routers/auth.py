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
from szca_unlock.domain.validators import mask_mobile
from szca_unlock.service.deps import Caller, Ctx, ReadDb, limit_by_address
from szca_unlock.service.logic import agreements, login
from szca_unlock.service.logic.sessions import close_session
from szca_unlock.service.responses import PROVIDER, errors

router = APIRouter(prefix="/auth", tags=["auth"], responses=errors(400, 401, 403, *PROVIDER))


@router.post("/sms-code", status_code=status.HTTP_202_ACCEPTED,
             dependencies=[limit_by_address("sms_code")])
def request_sms_code(body: SmsCodeRequest, ctx: Ctx) -> SmsCodeSent:
    sent = login.send_login_code(ctx, body.mobile)  # its own transactions around the SMS
    return SmsCodeSent(mobile_masked=mask_mobile(sent.mobile), expires_in=sent.expires_in,
                       resend_after=sent.resend_after,
                       message=f"验证码已发送至尾号{sent.mobile[-4:]}的手机,"
                               f"{sent.expires_in // 60}分钟内有效")


@router.post("/login", dependencies=[limit_by_address("login")])
def log_in(body: LoginRequest, ctx: Ctx) -> LoginResponse:
    with ctx.db.session() as db:  # committed in this thread (deps.py)
        token, row = login.login(ctx, db, body.mobile, body.code)
        return LoginResponse(token=token, role=row.kind.value,
                             mobile_masked=mask_mobile(row.mobile or ""), expires_at=row.expires_at,
                             idle_timeout=int(ctx.sessions.idle_timeout.total_seconds()))


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def log_out(caller: Caller, ctx: Ctx) -> Response:
    with ctx.db.session() as db:  # committed in this thread (deps.py)
        close_session(db, caller.session_id)
        return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me")
def me(caller: Caller, ctx: Ctx, db: ReadDb) -> Me:
    accepted = agreements.all_accepted(db, caller.session_id)
    return Me(role=caller.kind.value,
              mobile_masked=mask_mobile(caller.mobile) if caller.mobile else None,
              expires_at=caller.expires_at, agreements_accepted=accepted)
