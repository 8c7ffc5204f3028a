"""SendSms as Tencent answers it, through both official SDKs: which refusals fail the whole
request and which fail one number inside SendStatusSet, with the fields a failed entry has."""

from __future__ import annotations

import pytest

from emulator.mock_providers.catalogue import SMS_BASE

MAINLAND = "+8619900980000"


def _statuses(answer):
    assert answer["ok"], answer
    return answer["response"]["SendStatusSet"]


def test_each_number_gets_its_own_status_and_only_sent_ones_are_billed(call, mock_providers):
    numbers = [MAINLAND, "+8619900980101", "19900980030", "0086199009800OO"]
    statuses = _statuses(call("sms", "SendSms", {**SMS_BASE, "PhoneNumberSet": numbers,
                                                  "SessionContext": "order-42"}))
    assert [(s["PhoneNumber"], s["Code"], s["Fee"], s["IsoCode"]) for s in statuses] == [
        (MAINLAND, "Ok", 1, "CN"),
        ("+8619900980101", "FailedOperation.PhoneNumberInBlacklist", 0, "CN"),
        ("+8619900980030", "LimitExceeded.PhoneNumberThirtySecondLimit", 0, "CN"),
        ("0086199009800OO", "InvalidParameterValue.IncorrectPhoneNumber", 0, ""),
    ]
    assert statuses[0]["SerialNo"] and all(s["SerialNo"] == "" for s in statuses[1:])
    assert {s["SessionContext"] for s in statuses} == {"order-42"}
    assert [m.mobile for m in mock_providers.outbox()] == ["19900980000"]


@pytest.mark.parametrize(("change", "code"), [
    ({"SmsSdkAppId": "1400999999"}, "UnauthorizedOperation.SmsSdkAppIdVerifyFail"),
    ({"PhoneNumberSet": []}, "MissingParameter.EmptyPhoneNumberSet"),
    ({"PhoneNumberSet": [MAINLAND] * 201}, "LimitExceeded.PhoneNumberCountLimit"),
    ({"PhoneNumberSet": [MAINLAND, "+14155550100"]},
     "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber"),
    ({"SessionContext": "x" * 512}, "InvalidParameter.InvalidParameters"),
])
def test_request_level_refusals_fail_the_whole_call(call, mock_providers, change, code):
    answer = call("sms", "SendSms", {**SMS_BASE, **change})
    assert (answer["ok"], answer["error"]["code"]) == (False, code)
    assert answer["error"]["requestId"]
    assert mock_providers.outbox() == []


def test_two_hundred_numbers_are_accepted(call):
    numbers = [f"+86199009{n:05d}" for n in range(200)]
    statuses = _statuses(call("sms", "SendSms", {**SMS_BASE, "PhoneNumberSet": numbers}))
    assert len(statuses) == 200


def test_international_numbers_get_their_iso_code(call):
    statuses = _statuses(call("sms", "SendSms", {
        **SMS_BASE, "PhoneNumberSet": ["+14155550100", "+85291234567", "+999123456789"]}))
    assert [(s["Code"], s["IsoCode"]) for s in statuses] == [
        ("UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone", "US"),
        ("UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone", "HK"),
        ("UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone", "DEF")]


def test_the_same_content_limit_counts_identical_texts(call, mock_providers):
    mock_providers.sms_policy(enabled=True, per_30s=50, per_hour=50, per_day=50,
                              same_content_per_day=2)
    codes = [_statuses(call("sms", "SendSms", SMS_BASE))[0]["Code"] for _ in range(3)]
    other = _statuses(call("sms", "SendSms", {**SMS_BASE, "TemplateParamSet": ["654321", "5"]}))
    assert codes == ["Ok", "Ok", "LimitExceeded.PhoneNumberSameContentDailyLimit"]
    assert other[0]["Code"] == "Ok"
