"""C-1: what the login answers show."""

from __future__ import annotations

from datetime import timedelta

from szca_unlock.api.auth import LoginResponse, Me, SmsCodeSent
from szca_unlock.domain.validators import mask_mobile
from szca_unlock.service.logic.login import CodeSent
from szca_unlock.service.logic.sessions import Principal
from szca_unlock.store.models_access import SessionRow


def code_sent(sent: CodeSent) -> SmsCodeSent:
    return SmsCodeSent(mobile_masked=mask_mobile(sent.mobile), expires_in=sent.expires_in,
                       resend_after=sent.resend_after,
                       message=f"验证码已发送至尾号{sent.mobile[-4:]}的手机，"
                               f"{sent.expires_in // 60}分钟内有效")


def logged_in(token: str, row: SessionRow, idle_timeout: timedelta) -> LoginResponse:
    return LoginResponse(token=token, role=row.kind.value,
                         mobile_masked=mask_mobile(row.mobile or ""), expires_at=row.expires_at,
                         idle_timeout=int(idle_timeout.total_seconds()))


def me(caller: Principal, agreements_accepted: bool) -> Me:
    return Me(role=caller.kind.value,
              mobile_masked=mask_mobile(caller.mobile) if caller.mobile else None,
              expires_at=caller.expires_at, agreements_accepted=agreements_accepted)
