"""WeChat H5 face liveness (Tencent FaceID ``DetectAuth`` + ``GetDetectInfoEnhanced``).

``start`` opens a session (BizToken + the URL WeChat opens, shown as a QR code PNG);
``result`` polls it. Codes per https://cloud.tencent.com/document/product/1007/31082 and
the ``DetectInfoText`` model of the official SDK. Only ``result`` is retried: it is a read,
and a BizToken can be fetched any number of times within its 7200 s lifetime.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import qrcode
import qrcode.constants
from tencentcloud.faceid.v20180301 import faceid_client, models

from szca_unlock.config import ProviderEndpoints
from szca_unlock.logsetup import get_logger
from szca_unlock.providers._retry import RetryPolicy
from szca_unlock.providers._tencent import TencentCaller, make_client
from szca_unlock.providers.errors import FaultKind, Provider, ProviderRejected, ProviderUnavailable

_log = get_logger("providers.face")

TOKEN_LIFETIME = timedelta(seconds=7200)  # Tencent's documented BizToken validity
_EXPIRED_CODE = "InvalidParameterValue.BizTokenExpired"


class FaceOutcome(StrEnum):
    PENDING = "pending"
    PASSED = "passed"
    LIVENESS_FAILED = "liveness_failed"
    FACE_MISMATCH = "face_mismatch"
    TIMEOUT = "timeout"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


_MESSAGES: dict[FaceOutcome, str] = {
    FaceOutcome.PENDING: "请使用微信“扫一扫”扫描二维码，按提示完成人脸验证",
    FaceOutcome.PASSED: "人脸验证通过",
    FaceOutcome.LIVENESS_FAILED: "活体检测未通过，请在光线充足处正对屏幕，重新扫码验证",
    FaceOutcome.FACE_MISMATCH: "人脸与身份证照片比对未通过，请确认由本人完成验证后重试",
    FaceOutcome.TIMEOUT: "人脸验证超时，请重新扫码验证",
    FaceOutcome.CANCELLED: "人脸验证未完成，请重新扫码验证",
    FaceOutcome.EXPIRED: "二维码已过期，请刷新页面后重新扫码验证",
}
# Comparison codes whose cause is the identity, not the face (the user must act differently).
_COMPARE_MESSAGES: dict[str, str] = {
    "2005": "未查询到该身份证号的身份信息，请核对身份证号或改用其他验证方式",
    "2006": "姓名和身份证号不匹配，请核实后重试",
}
_TIMEOUT_CODE, _CANCELLED_CODE = 15, 17
_SERVICE_ERROR_CODES = frozenset({4, 8, 10, 12, 13})  # 服务异常，请稍后重试


@dataclass(frozen=True)
class FaceSession:
    """A started liveness session: show ``qr_png`` (a PNG of ``url``) for WeChat to scan."""

    biz_token: str
    url: str
    qr_png: bytes = field(repr=False)
    expires_at: datetime


@dataclass(frozen=True)
class FaceResult:
    """``raw_code`` is ``Text.ErrCode`` (or Tencent's error code for an expired token)."""

    outcome: FaceOutcome
    raw_code: str | None
    description: str
    request_id: str
    similarity: str | None = None

    @property
    def verified(self) -> bool:
        return self.outcome is FaceOutcome.PASSED

    @property
    def finished(self) -> bool:
        """False while the user has not finished on the phone: keep polling."""
        return self.outcome is not FaceOutcome.PENDING

    @property
    def message(self) -> str:
        if self.outcome is FaceOutcome.FACE_MISMATCH and self.raw_code in _COMPARE_MESSAGES:
            return _COMPARE_MESSAGES[self.raw_code]
        return _MESSAGES[self.outcome]


def qr_png(url: str) -> bytes:
    """A scannable QR code of ``url`` as PNG bytes."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(url)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def _outcome_of(text: Any) -> FaceOutcome:
    code = int(text.ErrCode)
    if code == 0:
        return FaceOutcome.PASSED
    if code == _TIMEOUT_CODE:
        return FaceOutcome.TIMEOUT
    if code == _CANCELLED_CODE:
        return FaceOutcome.CANCELLED
    if text.Comparestatus not in (None, 0) or 2000 <= code < 3000:
        return FaceOutcome.FACE_MISMATCH
    # 1xxx liveness codes, and any other refusal on the phone (WeChat/ID-card stages).
    return FaceOutcome.LIVENESS_FAILED


class FaceClient:
    """``start(name, id_number, redirect_url)`` and ``result(biz_token)``."""

    START, RESULT = "DetectAuth", "GetDetectInfoEnhanced"

    def __init__(self, endpoints: ProviderEndpoints, *, rule_id: str = "1",
                 retry: RetryPolicy | None = None) -> None:
        self._caller = TencentCaller(
            make_client(faceid_client.FaceidClient, endpoints), Provider.FACE
        )
        self._rule_id = rule_id
        self._retry = retry or RetryPolicy()

    def start(self, name: str, id_number: str, redirect_url: str) -> FaceSession:
        request = models.DetectAuthRequest()
        request.RuleId, request.Name, request.IdCard = self._rule_id, name, id_number
        request.RedirectUrl = redirect_url
        # Not retried: each call opens a new session (and a timed-out one may exist already).
        response = self._caller.invoke(self.START, request)
        if not response.BizToken or not response.Url:
            raise self._caller.malformed(self.START, response, "no BizToken/Url")
        _log.info("face session started token=%s", response.BizToken)
        return FaceSession(
            biz_token=response.BizToken,
            url=response.Url,
            qr_png=qr_png(response.Url),
            expires_at=datetime.now(UTC) + TOKEN_LIFETIME,
        )

    def result(self, biz_token: str) -> FaceResult:
        request = models.GetDetectInfoEnhancedRequest()
        request.BizToken, request.RuleId, request.InfoType = biz_token, self._rule_id, "1"
        try:
            response = self._caller.invoke(self.RESULT, request, retry=self._retry)
        except ProviderRejected as exc:
            if exc.raw_code != _EXPIRED_CODE:
                raise
            return FaceResult(FaceOutcome.EXPIRED, exc.raw_code, "BizToken expired",
                              exc.request_id or "")
        text = response.Text
        if text is None or text.ErrCode is None:
            return FaceResult(FaceOutcome.PENDING, None, "", response.RequestId or "")
        if int(text.ErrCode) in _SERVICE_ERROR_CODES:
            raise ProviderUnavailable(Provider.FACE, FaultKind.BUSY, raw_code=str(text.ErrCode),
                                      http_status=200, request_id=response.RequestId,
                                      detail=text.ErrMsg or "")
        outcome = _outcome_of(text)
        raw = str(text.ErrCode)
        _log.info("face result token=%s outcome=%s code=%s", biz_token, outcome, raw)
        return FaceResult(outcome, raw, text.ErrMsg or "", response.RequestId or "",
                          similarity=text.Sim)
