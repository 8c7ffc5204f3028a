"""SendSms through SmsClient against the live mock: sent lands in the outbox; failures do not."""

from __future__ import annotations

import pytest

from emulator.mock_providers.client import ProviderControl
from szca_unlock.providers import ProviderClients, SmsFailure, SmsRejected, SmsTemplate

OK_MOBILE = "19900980000"


@pytest.mark.parametrize(
    ("template", "params", "text"),
    [(SmsTemplate.LOGIN_CODE, ["482913", "5"], "您的登录验证码为482913，5分钟内有效"),
     (SmsTemplate.VERIFICATION_CODE, ["771204", "10"], "您的验证码为771204，10分钟内有效"),
     (SmsTemplate.REVIEW_APPROVED, ["UL202401010001"], "业务单号UL202401010001）已审核通过")],
)
def test_sent_message_reaches_the_outbox(
    clients: ProviderClients, mock_providers: ProviderControl, template: SmsTemplate,
    params: list[str], text: str,
) -> None:
    receipt = clients.sms.send(OK_MOBILE, template, params)
    message = mock_providers.last_sms(OK_MOBILE)
    assert message.serial_no == receipt.serial_no
    assert message.template_id == template.value and text in message.text
    assert message.text.startswith("【深圳CA】")


def test_outbox_is_newest_first(clients: ProviderClients, mock_providers: ProviderControl) -> None:
    clients.sms.send(OK_MOBILE, SmsTemplate.LOGIN_CODE, ["111111", "5"])
    clients.sms.send(OK_MOBILE, SmsTemplate.LOGIN_CODE, ["222222", "5"])
    assert [m.params[0] for m in mock_providers.outbox(OK_MOBILE)] == ["222222", "111111"]


# (mock outcome, magic mobile from docs/providers.md, reason, raw code)
FAILURES = [
    ("invalid_number", "19900980404", SmsFailure.INVALID_NUMBER,
     "InvalidParameterValue.IncorrectPhoneNumber"),
    ("limit_30s", "19900980030", SmsFailure.RATE_LIMITED,
     "LimitExceeded.PhoneNumberThirtySecondLimit"),
    ("limit_1h", "19900983600", SmsFailure.RATE_LIMITED, "LimitExceeded.PhoneNumberOneHourLimit"),
    ("limit_daily", "19900980024", SmsFailure.RATE_LIMITED, "LimitExceeded.PhoneNumberDailyLimit"),
]


@pytest.mark.parametrize(("name", "mobile", "reason", "code"), FAILURES,
                         ids=[f[0] for f in FAILURES])
@pytest.mark.parametrize("how", ["magic", "next_outcome"])
def test_failure_is_rejected_and_nothing_is_in_the_outbox(
    clients: ProviderClients, mock_providers: ProviderControl, how: str, name: str, mobile: str,
    reason: SmsFailure, code: str,
) -> None:
    if how == "next_outcome":
        mock_providers.next_outcome("sms", "SendSms", name)
        mobile = OK_MOBILE
    with pytest.raises(SmsRejected) as info:
        clients.sms.send(mobile, SmsTemplate.VERIFICATION_CODE, ["123456", "5"])
    assert info.value.reason is reason and info.value.raw_code == code
    assert mock_providers.outbox(mobile) == []


def test_malformed_number_is_invalid(clients: ProviderClients) -> None:
    with pytest.raises(SmsRejected) as info:
        clients.sms.send("1380013800", SmsTemplate.LOGIN_CODE, ["123456", "5"])  # 10 digits
    assert info.value.reason is SmsFailure.INVALID_NUMBER


def test_real_frequency_policy_rate_limits_the_second_code(
    clients: ProviderClients, mock_providers: ProviderControl,
) -> None:
    mock_providers.sms_policy(enabled=True, per_30s=1)
    clients.sms.send(OK_MOBILE, SmsTemplate.LOGIN_CODE, ["111111", "5"])
    with pytest.raises(SmsRejected) as info:
        clients.sms.send(OK_MOBILE, SmsTemplate.LOGIN_CODE, ["222222", "5"])
    assert info.value.raw_code == "LimitExceeded.PhoneNumberThirtySecondLimit"
    assert "30秒" in info.value.message
    assert len(mock_providers.outbox(OK_MOBILE)) == 1
