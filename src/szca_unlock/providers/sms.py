"""Templated SMS (Tencent Cloud SMS ``SendSms``, 2021-01-11), one mobile per call.

Codes per https://cloud.tencent.com/document/api/382/55981 and /382/59177. Tencent reports a
per-number failure either as the whole request's ``Error.Code`` or as ``SendStatusSet[].Code``
(with ``Code == "Ok"`` meaning sent); both are handled the same way. Never retried: a send that
timed out may have been delivered, and a second code would confuse the user.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from tencentcloud.sms.v20210111 import models, sms_client

from szca_unlock.config import ProviderEndpoints
from szca_unlock.logsetup import get_logger, mask_value
from szca_unlock.providers._tencent import TencentCaller, make_client
from szca_unlock.providers.errors import Provider, ProviderError, ProviderRejected

_log = get_logger("providers.sms")


class SmsTemplate(StrEnum):
    """Approved templates; the value is the Tencent ``TemplateId`` (params in docs/providers.md)."""

    LOGIN_CODE = "1000001"
    VERIFICATION_CODE = "1000002"
    REVIEW_APPROVED = "1000003"  # PER-MR-7: approval notice after manual review

    @property
    def param_names(self) -> tuple[str, ...]:
        """The ``TemplateParamSet`` the approved template expects, in order."""
        return _PARAMS[self]


_PARAMS: dict[SmsTemplate, tuple[str, ...]] = {
    SmsTemplate.LOGIN_CODE: ("code", "minutes"),
    SmsTemplate.VERIFICATION_CODE: ("code", "minutes"),
    SmsTemplate.REVIEW_APPROVED: ("order_no",),
}


class SmsFailure(StrEnum):
    INVALID_NUMBER = "invalid_number"
    BLACKLISTED = "blacklisted"
    RATE_LIMITED = "rate_limited"


_FAILURES: dict[str, tuple[SmsFailure, str]] = {
    "InvalidParameterValue.IncorrectPhoneNumber": (
        SmsFailure.INVALID_NUMBER, "手机号码格式不正确，请输入11位中国大陆手机号码"),
    "FailedOperation.PhoneNumberInBlacklist": (
        SmsFailure.BLACKLISTED,
        "该手机号码拒收短信（已退订或在免打扰名单中），请联系运营商处理或更换手机号码"),
    "LimitExceeded.PhoneNumberThirtySecondLimit": (
        SmsFailure.RATE_LIMITED, "验证码发送过于频繁，请30秒后再试"),
    "LimitExceeded.PhoneNumberOneHourLimit": (
        SmsFailure.RATE_LIMITED, "该手机号码1小时内接收短信次数已达上限，请稍后再试"),
    "LimitExceeded.PhoneNumberDailyLimit": (
        SmsFailure.RATE_LIMITED, "该手机号码今日接收短信次数已达上限，请明日再试"),
    "LimitExceeded.PhoneNumberSameContentDailyLimit": (
        SmsFailure.RATE_LIMITED, "该手机号码今日接收相同内容短信次数已达上限，请明日再试"),
    "LimitExceeded.DeliveryFrequencyLimit": (
        SmsFailure.RATE_LIMITED, "短信发送过于频繁，请稍后再试"),
}


class SmsRejected(ProviderError):
    """The SMS was not sent to this mobile for a reason the user can act on."""

    def __init__(self, reason: SmsFailure, message: str, *, raw_code: str,
                 request_id: str | None) -> None:
        super().__init__(
            Provider.SMS, f"provider.sms.{reason.value}", message, raw_code=raw_code,
            http_status=200, request_id=request_id, field="mobile",
        )
        self.reason = reason


class SmsRateLimited(SmsRejected):
    """The provider's per-mobile limits: the user asked too often (429)."""

    status = 429


@dataclass(frozen=True)
class SmsReceipt:
    """One SMS accepted by the provider for delivery."""

    template: SmsTemplate
    serial_no: str
    fee: int
    request_id: str
    mobile: str = field(repr=False)


def to_e164(mobile: str) -> str:
    """``13800138000`` → ``+8613800138000`` (mainland numbers; already-prefixed ones unchanged)."""
    return mobile if mobile.startswith("+") else f"+86{mobile}"


class SmsClient:
    """``send(mobile, template, params)`` through Tencent Cloud SMS."""

    ACTION = "SendSms"

    def __init__(self, endpoints: ProviderEndpoints) -> None:
        self._caller = TencentCaller(make_client(sms_client.SmsClient, endpoints), Provider.SMS)
        self._app_id = endpoints.sms_sdk_app_id
        self._sign_name = endpoints.sms_sign_name

    def send(self, mobile: str, template: SmsTemplate, params: Sequence[str]) -> SmsReceipt:
        """Send one templated SMS; raises ``SmsRejected`` for a reason the user can act on."""
        if len(params) != len(template.param_names):
            # A programming error, caught before Tencent refuses it as a template mismatch.
            raise ValueError(f"template {template.name} takes {template.param_names}")
        request = models.SendSmsRequest()
        request.PhoneNumberSet = [to_e164(mobile)]
        request.SmsSdkAppId, request.SignName = self._app_id, self._sign_name
        request.TemplateId = template.value
        request.TemplateParamSet = [str(p) for p in params]
        try:
            response = self._caller.invoke(self.ACTION, request)
        except ProviderRejected as exc:
            failure = self._failure(exc.raw_code or "", exc.request_id)
            if failure is None:
                raise
            raise failure from exc
        statuses = response.SendStatusSet or []
        if len(statuses) != 1:
            raise self._caller.malformed(self.ACTION, response, f"{len(statuses)} send statuses")
        status = statuses[0]
        if status.Code != "Ok":
            failure = self._failure(str(status.Code), response.RequestId)
            if failure is None:
                raise ProviderRejected(Provider.SMS, raw_code=str(status.Code), http_status=200,
                                       request_id=response.RequestId,
                                       detail=str(status.Message or ""))
            raise failure
        _log.info("sms %s sent to %s serial=%s", template.name, mask_value(mobile),
                  status.SerialNo)
        return SmsReceipt(
            template=template,
            serial_no=str(status.SerialNo or ""),
            fee=int(status.Fee or 0),
            request_id=response.RequestId or "",
            mobile=mobile,
        )

    @staticmethod
    def _failure(raw_code: str, request_id: str | None) -> SmsRejected | None:
        known = _FAILURES.get(raw_code)
        if known is None:
            return None
        reason, message = known
        _log.info("sms not sent: %s", raw_code)
        cls = SmsRateLimited if reason is SmsFailure.RATE_LIMITED else SmsRejected
        return cls(reason, message, raw_code=raw_code, request_id=request_id)
