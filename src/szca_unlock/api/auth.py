from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from szca_unlock.api.common import Request, Text


class SmsCodeRequest(Request):
    mobile: Text


class SmsCodeSent(BaseModel):
    mobile_masked: str
    expires_in: int
    resend_after: int
    message: str


class LoginRequest(Request):
    mobile: Text
    code: Text


class LoginResponse(BaseModel):
    token: str
    role: str
    mobile_masked: str
    expires_at: datetime
    idle_timeout: int


class Me(BaseModel):
    role: str
    mobile_masked: str | None
    username: str | None = None
    expires_at: datetime
    agreements_accepted: bool
