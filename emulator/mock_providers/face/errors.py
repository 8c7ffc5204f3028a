"""Face liveness (DetectAuth / GetDetectInfoEnhanced) errors with Tencent's real codes."""

from __future__ import annotations

from ..tencent_errors import TencentError


class BizTokenIllegal(TencentError):
    code = "InvalidParameterValue.BizTokenIllegal"
    message = "BizToken不合法。"


class BizTokenExpired(TencentError):
    code = "InvalidParameterValue.BizTokenExpired"
    message = "BizToken过期。"


class RuleIdNotExist(TencentError):
    code = "InvalidParameterValue.RuleIdNotExist"
    message = "RuleId不存在，请到人脸核身控制台申请。"


class RuleIdDisabled(TencentError):
    code = "InvalidParameterValue.RuleIdDisabled"
    message = "该ruleid已被您停用，请确认后重试。"


class IdFormatError(TencentError):
    code = "FailedOperation.IdFormatError"
    message = "输入的身份证号有误。"


class NameFormatError(TencentError):
    code = "FailedOperation.NameFormatError"
    message = "输入的姓名有误。"


class DecryptSystemError(TencentError):
    code = "FailedOperation.DecryptSystemError"
    message = "解密失败。"


class EncryptSystemError(TencentError):
    code = "FailedOperation.EncryptSystemError"
    message = "加密失败。"


class SessionFinished(Exception):
    """Control API: the phone side already completed this token (HTTP 409)."""


class SessionExpired(Exception):
    """Control API: the token is past its 7200 s lifetime (HTTP 410)."""


class SessionUnknown(Exception):
    """Control API: no such BizToken (HTTP 404)."""
