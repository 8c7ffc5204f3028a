"""SendSms request-level errors (per-number failures travel in SendStatusSet instead)."""

from __future__ import annotations

from ..tencent_errors import TencentError


class SignatureIncorrectOrUnapproved(TencentError):
    code = "FailedOperation.SignatureIncorrectOrUnapproved"
    message = "签名格式错误或者签名未审批。"


class TemplateIdNotExist(TencentError):
    code = "FailedOperation.TemplateIdNotExist"
    message = "模板 ID 不存在。"


class TemplateParamSetNotMatch(TencentError):
    code = "FailedOperation.TemplateParamSetNotMatchApprovedTemplate"
    message = "请求内容与审核通过的模板内容不匹配。"


class SmsSdkAppIdVerifyFail(TencentError):
    code = "UnauthorizedOperation.SmsSdkAppIdVerifyFail"
    message = "SmsSdkAppId 校验失败。"


class EmptyPhoneNumberSet(TencentError):
    code = "MissingParameter.EmptyPhoneNumberSet"
    message = "传入的号码列表为空。"
