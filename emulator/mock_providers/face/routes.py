"""DetectAuth / GetDetectInfoEnhanced: parse, call the face backend, serialise Tencent's shapes."""

from __future__ import annotations

from typing import Any

from ..state import ProviderState
from ..tencent_actions import TencentAction, TencentRequest


class DetectAuthRequest(TencentRequest):
    RuleId: str
    IdCard: str = ""
    Name: str = ""
    RedirectUrl: str = ""
    Extra: str = ""


class GetDetectInfoEnhancedRequest(TencentRequest):
    BizToken: str
    RuleId: str
    InfoType: str = "0"


def detect_auth(req: DetectAuthRequest, state: ProviderState, forced: str | None) -> dict[str, Any]:
    session = state.face.detect_auth(rule_id=req.RuleId, id_number=req.IdCard, name=req.Name,
                                     redirect_url=req.RedirectUrl, extra=req.Extra, forced=forced)
    return {"Url": session.url, "BizToken": session.biz_token}


def get_detect_info(req: GetDetectInfoEnhancedRequest, state: ProviderState,
                    forced: str | None) -> dict[str, Any]:
    _, text = state.face.detect_info(biz_token=req.BizToken, rule_id=req.RuleId)
    wants_text = req.InfoType in ("", "0") or "1" in req.InfoType
    return {"Text": text if wants_text else None, "IdCardData": None, "BestFrame": None,
            "VideoData": None, "Encryption": None, "IntentionVerifyData": None,
            "IntentionQuestionResult": None, "IntentionActionResult": None,
            "EncryptedBody": None, "IsVerifyIntention": False, "IntentionVerifyType": None}


ACTIONS = [
    TencentAction("faceid", "2018-03-01", "DetectAuth", "face", DetectAuthRequest, detect_auth),
    TencentAction("faceid", "2018-03-01", "GetDetectInfoEnhanced", "face",
                  GetDetectInfoEnhancedRequest, get_detect_info),
]
