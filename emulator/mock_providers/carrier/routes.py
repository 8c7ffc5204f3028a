"""PhoneVerification: parse, call the carrier backend, serialise Result/Description/Isp."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ..encryption import refuse_encrypted_input
from ..state import ProviderState
from ..tencent_actions import TencentAction, TencentRequest
from ..tencent_errors import TencentError
from .models import VERIFY_MODES


class PhoneVerificationRequest(TencentRequest):
    IdCard: str
    Name: str
    Phone: str
    VerifyMode: str = "0"
    EncryptList: list[str] = Field(default_factory=list)
    CiphertextBlob: str = ""
    Iv: str = ""


class InvalidVerifyMode(TencentError):
    code = "InvalidParameterValue"
    message = "参数取值错误：VerifyMode 只能为 0（简版）或 1（详版）。"


def phone_verification(req: PhoneVerificationRequest, state: ProviderState,
                       forced: str | None) -> dict[str, Any]:
    if req.VerifyMode not in VERIFY_MODES:
        raise InvalidVerifyMode()
    refuse_encrypted_input(req.EncryptList, req.CiphertextBlob, ("IdCard", "Name", "Phone"))
    verdict = state.carrier.verify(name=req.Name, id_number=req.IdCard, phone=req.Phone,
                                   detailed=req.VerifyMode == "1", forced=forced)
    body: dict[str, Any] = {"Result": verdict.result, "Description": verdict.description,
                            "Isp": verdict.isp}
    if verdict.result_detail is not None:
        body["ResultDetail"] = verdict.result_detail
    return body


ACTIONS = [TencentAction("faceid", "2018-03-01", "PhoneVerification", "carrier",
                         PhoneVerificationRequest, phone_verification)]
