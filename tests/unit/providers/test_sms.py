"""SendSms: sent, per-number failures (in SendStatusSet or as Error), faults, no retries."""

from __future__ import annotations

import json

import pytest
import responses
from provider_stubs import FAULTS, Fault, tencent_error, tencent_fault, tencent_ok

from szca_unlock.config import ProviderEndpoints
from szca_unlock.providers import (
    ProviderRejected,
    ProviderUnavailable,
    SmsClient,
    SmsFailure,
    SmsRejected,
    SmsTemplate,
)

MOBILE = "13700137000"


def _status(code: str = "Ok", message: str = "send success") -> dict[str, object]:
    return {"SerialNo": "2028:123", "PhoneNumber": f"+86{MOBILE}", "Fee": 1,
            "SessionContext": "", "Code": code, "Message": message, "IsoCode": "CN"}


def test_send_returns_a_receipt_and_sends_the_template(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints,
) -> None:
    tencent_ok(rsps, "SendSms", SendStatusSet=[_status()])
    receipt = SmsClient(endpoints).send(MOBILE, SmsTemplate.LOGIN_CODE, ["123456", "5"])
    assert receipt.serial_no == "2028:123" and receipt.fee == 1
    assert receipt.template is SmsTemplate.LOGIN_CODE and receipt.request_id == "req-0001"
    sent = rsps.calls[0].request
    assert sent.headers["X-TC-Version"] == "2021-01-11"
    assert "/sms/tc3_request" in sent.headers["Authorization"]
    assert json.loads(sent.body) == {
        "PhoneNumberSet": [f"+86{MOBILE}"], "SmsSdkAppId": "1400000001", "SignName": "深圳CA",
        "TemplateId": "1000001", "TemplateParamSet": ["123456", "5"],
    }
    assert MOBILE not in repr(receipt)


def test_wrong_number_of_params_is_refused_before_sending(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints,
) -> None:
    with pytest.raises(ValueError, match="order_no"):
        SmsClient(endpoints).send(MOBILE, SmsTemplate.REVIEW_APPROVED, ["A1", "extra"])
    assert len(rsps.calls) == 0


@pytest.mark.parametrize(
    ("code", "reason", "words"),
    [("InvalidParameterValue.IncorrectPhoneNumber", SmsFailure.INVALID_NUMBER, "格式不正确"),
     ("LimitExceeded.PhoneNumberThirtySecondLimit", SmsFailure.RATE_LIMITED, "30秒"),
     ("LimitExceeded.PhoneNumberOneHourLimit", SmsFailure.RATE_LIMITED, "1小时"),
     ("LimitExceeded.PhoneNumberDailyLimit", SmsFailure.RATE_LIMITED, "今日"),
     ("FailedOperation.PhoneNumberInBlacklist", SmsFailure.BLACKLISTED, "拒收")],
)
def test_per_number_failure_in_send_status_is_rejected(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints, code: str, reason: SmsFailure,
    words: str,
) -> None:
    tencent_ok(rsps, "SendSms", SendStatusSet=[_status(code, "failed")])
    with pytest.raises(SmsRejected) as info:
        SmsClient(endpoints).send(MOBILE, SmsTemplate.VERIFICATION_CODE, ["654321", "5"])
    assert info.value.reason is reason and info.value.raw_code == code
    assert words in info.value.message and info.value.field == "mobile"
    assert info.value.code == f"provider.sms.{reason.value}"


def test_same_failure_as_a_top_level_error_is_rejected_the_same_way(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints,
) -> None:
    tencent_error(rsps, "SendSms", "LimitExceeded.PhoneNumberDailyLimit")
    with pytest.raises(SmsRejected) as info:
        SmsClient(endpoints).send(MOBILE, SmsTemplate.VERIFICATION_CODE, ["654321", "5"])
    assert info.value.reason is SmsFailure.RATE_LIMITED


def test_unknown_per_number_code_is_a_configuration_fault(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints,
) -> None:
    unapproved = "FailedOperation.TemplateIncorrectOrUnapproved"
    tencent_ok(rsps, "SendSms", SendStatusSet=[_status(unapproved)])
    with pytest.raises(ProviderRejected) as info:
        SmsClient(endpoints).send(MOBILE, SmsTemplate.LOGIN_CODE, ["123456", "5"])
    assert info.value.raw_code == "FailedOperation.TemplateIncorrectOrUnapproved"
    assert not isinstance(info.value, SmsRejected)


def test_empty_send_status_is_malformed(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints,
) -> None:
    tencent_ok(rsps, "SendSms", SendStatusSet=[])
    with pytest.raises(ProviderUnavailable, match="短信服务暂时不可用"):
        SmsClient(endpoints).send(MOBILE, SmsTemplate.LOGIN_CODE, ["123456", "5"])


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_each_fault_is_unavailable_and_never_resent(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints, fault: Fault,
) -> None:
    tencent_fault(rsps, "SendSms", fault)
    with pytest.raises(ProviderUnavailable) as info:
        SmsClient(endpoints).send(MOBILE, SmsTemplate.LOGIN_CODE, ["123456", "5"])
    assert info.value.fault is fault.kind
    assert info.value.message == "短信服务暂时不可用，请稍后重试"
    assert len(rsps.calls) == 1  # a second code would confuse the user
