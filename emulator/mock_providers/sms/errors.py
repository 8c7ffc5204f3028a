"""SendSms request-level errors: the whole call is refused (``Response.Error``).

Failures of one number (template, sign, limits, blacklist ...) travel in ``SendStatusSet``
instead (``models.STATUS``)."""

from __future__ import annotations

from ..tencent_errors import TencentError


class SmsSdkAppIdVerifyFail(TencentError):
    code = "UnauthorizedOperation.SmsSdkAppIdVerifyFail"
    message = "SmsSdkAppId 校验失败。"


class EmptyPhoneNumberSet(TencentError):
    code = "MissingParameter.EmptyPhoneNumberSet"
    message = "传入的号码列表为空。"


class PhoneNumberCountLimit(TencentError):
    code = "LimitExceeded.PhoneNumberCountLimit"
    message = "调用接口单次提交的手机号个数超过200个，请遵守 API 接口输入参数描述。"


class ContainDomesticAndInternational(TencentError):
    code = "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber"
    message = "群发请求里既有国内手机号也有国际手机号。"


class InvalidParameters(TencentError):
    code = "InvalidParameter.InvalidParameters"
    message = "参数有误：SessionContext 长度需小于512字节。"
