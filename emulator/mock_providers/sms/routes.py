"""SendSms: parse the Tencent request, call the SMS backend, serialise SendStatusSet."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ..state import ProviderState
from ..tencent_actions import TencentAction, TencentRequest


class SendSmsRequest(TencentRequest):
    PhoneNumberSet: list[str]
    SmsSdkAppId: str
    TemplateId: str
    SignName: str = ""
    TemplateParamSet: list[str] = Field(default_factory=list)
    SessionContext: str = ""


def send_sms(req: SendSmsRequest, state: ProviderState, forced: str | None) -> dict[str, Any]:
    statuses = state.sms.send(phone_numbers=req.PhoneNumberSet, sdk_app_id=req.SmsSdkAppId,
                              template_id=req.TemplateId, sign_name=req.SignName,
                              params=req.TemplateParamSet, session_context=req.SessionContext,
                              forced=forced)
    return {"SendStatusSet": [
        {"SerialNo": s.serial_no, "PhoneNumber": s.phone_number, "Fee": s.fee,
         "SessionContext": s.session_context, "Code": s.code, "Message": s.message,
         "IsoCode": s.iso_code} for s in statuses]}


ACTIONS = [TencentAction("sms", "2021-01-11", "SendSms", "sms", SendSmsRequest, send_sms)]
