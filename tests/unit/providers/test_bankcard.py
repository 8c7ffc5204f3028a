"""Bank card 4-element check: every BankCard4EVerification Result and every fault."""

from __future__ import annotations

import json

import pytest
import responses
from provider_stubs import FAULTS, Fault, tencent_error, tencent_fault, tencent_ok

from szca_unlock.config import ProviderEndpoints
from szca_unlock.providers import (
    BankCardClient,
    BankCardOutcome,
    FaultKind,
    ProviderUnavailable,
)

NAME, ID_NUMBER, CARD, MOBILE = "李四", "110101199003074477", "6222990000000001", "13900139000"
BO = BankCardOutcome


@pytest.mark.parametrize(
    ("result", "outcome"),
    [("0", BO.MATCH), ("-1", BO.MISMATCH), ("-2", BO.INVALID_NAME), ("-3", BO.INVALID_ID_NUMBER),
     ("-4", BO.INVALID_CARD_NUMBER), ("-5", BO.INVALID_MOBILE), ("-6", BO.HOLDER_INFO_INVALID),
     ("-7", BO.NO_CARDLESS_PAYMENT), ("-8", BO.CARD_RESTRICTED), ("-9", BO.CARD_INVALID),
     ("-13", BO.CARD_RESTRICTED), ("-14", BO.CARD_RESTRICTED), ("-15", BO.CARD_RESTRICTED),
     ("-17", BO.CARD_RESTRICTED), ("-19", BO.DAILY_LIMIT), ("-20", BO.ID_TYPE_UNSUPPORTED),
     ("-21", BO.CARD_INVALID)],
)
def test_each_result_code_maps_to_its_outcome(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints, result: str, outcome: BO,
) -> None:
    tencent_ok(rsps, "BankCard4EVerification", Result=result, Description="d")
    got = BankCardClient(endpoints).verify(NAME, ID_NUMBER, CARD, MOBILE)
    assert got.outcome is outcome and got.raw_code == result
    assert got.verified is (outcome is BO.MATCH)
    assert got.message


def test_request_carries_the_four_elements(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints,
) -> None:
    tencent_ok(rsps, "BankCard4EVerification", Result="0", Description="认证通过")
    BankCardClient(endpoints).verify(NAME, ID_NUMBER, CARD, MOBILE)
    body = json.loads(rsps.calls[0].request.body)
    assert body == {"Name": NAME, "IdCard": ID_NUMBER, "BankCard": CARD, "Phone": MOBILE,
                    "CertType": 0}


def test_reserved_mobile_mismatch_is_told_apart_by_its_description(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints,
) -> None:
    tencent_ok(rsps, "BankCard4EVerification", Result="-1",
               Description="认证未通过：银行预留手机号不一致")
    got = BankCardClient(endpoints).verify(NAME, ID_NUMBER, CARD, MOBILE)
    assert got.outcome is BO.MOBILE_MISMATCH and got.raw_code == "-1"
    assert "预留的手机号码不一致" in got.message


def test_plain_mismatch_stays_a_mismatch(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints,
) -> None:
    tencent_ok(rsps, "BankCard4EVerification", Result="-1", Description="认证未通过")
    assert BankCardClient(endpoints).verify(NAME, ID_NUMBER, CARD, MOBILE).outcome is BO.MISMATCH


def test_service_busy_result_is_unavailable(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints,
) -> None:
    tencent_ok(rsps, "BankCard4EVerification", Result="-18", Description="验证中心服务繁忙")
    with pytest.raises(ProviderUnavailable) as info:
        BankCardClient(endpoints).verify(NAME, ID_NUMBER, CARD, MOBILE)
    assert info.value.fault is FaultKind.BUSY and info.value.raw_code == "-18"
    assert info.value.message == "银联校验服务暂时不可用，请稍后重试"


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_each_fault_raises_unavailable_once(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints, fault: Fault,
) -> None:
    tencent_fault(rsps, "BankCard4EVerification", fault)
    with pytest.raises(ProviderUnavailable) as info:
        BankCardClient(endpoints).verify(NAME, ID_NUMBER, CARD, MOBILE)
    assert info.value.fault is fault.kind and info.value.http_status == fault.http_status
    assert info.value.code == "provider.bank_card.unavailable"
    assert len(rsps.calls) == 1


def test_internal_error_code_is_unavailable(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints,
) -> None:
    tencent_error(rsps, "BankCard4EVerification", "InternalError.UnknownError")
    with pytest.raises(ProviderUnavailable) as info:
        BankCardClient(endpoints).verify(NAME, ID_NUMBER, CARD, MOBILE)
    assert info.value.raw_code == "InternalError.UnknownError"


def test_card_number_and_mobile_never_appear_in_logs(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints, caplog: pytest.LogCaptureFixture,
) -> None:
    tencent_ok(rsps, "BankCard4EVerification", Result="0", Description="认证通过")
    with caplog.at_level("DEBUG"):
        got = BankCardClient(endpoints).verify(NAME, ID_NUMBER, CARD, MOBILE)
    for secret in (CARD, MOBILE, ID_NUMBER):
        assert secret not in caplog.text
    assert MOBILE not in repr(got)
