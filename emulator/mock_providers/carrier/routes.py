"""PhoneVerification: parse, call the carrier backend, serialise Result/Description/Isp."""

from __future__ import annotations

from typing import Any

from ..state import ProviderState
from ..tencent_actions import TencentAction, TencentRequest


class PhoneVerificationRequest(TencentRequest):
    IdCard: str
    Name: str
    Phone: str
    VerifyMode: str = "0"


def phone_verification(req: PhoneVerificationRequest, state: ProviderState,
                       forced: str | None) -> dict[str, Any]:
    verdict = state.carrier.verify(name=req.Name, id_number=req.IdCard, phone=req.Phone,
                                   detailed=req.VerifyMode == "1", forced=forced)
    body: dict[str, Any] = {"Result": verdict.result, "Description": verdict.description,
                            "Isp": verdict.isp}
    if verdict.result_detail is not None:
        body["ResultDetail"] = verdict.result_detail
    return body


ACTIONS = [TencentAction("faceid", "2018-03-01", "PhoneVerification", "carrier",
                         PhoneVerificationRequest, phone_verification)]
