"""DetectAuth / GetDetectInfoEnhanced: parse, call the face backend, serialise Tencent's shapes."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ..encryption import EncryptionIn, refuse_encrypted_input, refuse_encrypted_output
from ..state import ProviderState
from ..tencent_actions import TencentAction, TencentRequest
from ..tencent_errors import TencentError
from . import media
from .models import MAX_BEST_FRAMES, FaceSession, reached_liveness


class DetectAuthRequest(TencentRequest):
    RuleId: str
    IdCard: str = ""
    Name: str = ""
    RedirectUrl: str = ""
    Extra: str = ""
    Encryption: EncryptionIn | None = None


class GetDetectInfoEnhancedRequest(TencentRequest):
    BizToken: str
    RuleId: str
    InfoType: str = "0"
    BestFramesCount: int = Field(0, ge=0)
    IsCutIdCardImage: bool = False
    IsNeedIdCardAvatar: bool = False
    Encryption: EncryptionIn | None = None
    IsEncryptResponse: bool = False


class InvalidInfoType(TencentError):
    code = "InvalidParameterValue"
    message = "参数取值错误：InfoType 只能由 0-6 组成。"


def _wants(info_type: str, part: str) -> bool:
    return info_type in ("", "0") or part in info_type


def detect_auth(req: DetectAuthRequest, state: ProviderState, forced: str | None) -> dict[str, Any]:
    if req.Encryption is not None:
        refuse_encrypted_input(req.Encryption.EncryptList, req.Encryption.CiphertextBlob,
                               ("IdCard", "Name"))
    session = state.face.detect_auth(rule_id=req.RuleId, id_number=req.IdCard, name=req.Name,
                                     redirect_url=req.RedirectUrl, extra=req.Extra, forced=forced)
    return {"Url": session.url, "BizToken": session.biz_token}


def get_detect_info(req: GetDetectInfoEnhancedRequest, state: ProviderState,
                    forced: str | None) -> dict[str, Any]:
    if not req.InfoType.isdigit() or set(req.InfoType) - set("0123456"):
        raise InvalidInfoType()
    refuse_encrypted_output(req.Encryption, req.IsEncryptResponse)
    session, text = state.face.detect_info(biz_token=req.BizToken, rule_id=req.RuleId)
    captured = reached_liveness(session)
    return {"Text": text if _wants(req.InfoType, "1") else None,
            "IdCardData": _id_card_data(session, req) if captured and _wants(req.InfoType, "2")
            else None,
            "BestFrame": _best_frame(session, req.BestFramesCount)
            if captured and _wants(req.InfoType, "3") else None,
            "VideoData": {"LivenessVideo": media.liveness_video(session.id_number)}
            if captured and _wants(req.InfoType, "4") else None,
            "Encryption": None, "IntentionVerifyData": None,
            "IntentionQuestionResult": None, "IntentionActionResult": None,
            "EncryptedBody": None, "IsVerifyIntention": False, "IntentionVerifyType": ""}


def _id_card_data(session: FaceSession, req: GetDetectInfoEnhancedRequest) -> dict[str, Any]:
    front, back, avatar = media.id_card_images(session.name, session.id_number)
    return {"OcrFront": front, "OcrBack": back,
            "ProcessedFrontImage": front if req.IsCutIdCardImage else None,
            "ProcessedBackImage": back if req.IsCutIdCardImage else None,
            "Avatar": avatar if req.IsNeedIdCardAvatar else None,
            "WarnInfos": [], "BackWarnInfos": []}


def _best_frame(session: FaceSession, count: int) -> dict[str, Any]:
    frames = [media.best_frame(session.id_number, i + 1)
              for i in range(min(count, MAX_BEST_FRAMES))]
    return {"BestFrame": media.best_frame(session.id_number), "BestFrames": frames}


ACTIONS = [
    TencentAction("faceid", "2018-03-01", "DetectAuth", "face", DetectAuthRequest, detect_auth),
    TencentAction("faceid", "2018-03-01", "GetDetectInfoEnhanced", "face",
                  GetDetectInfoEnhancedRequest, get_detect_info),
]
