"""Carrier 3-element check: every PhoneVerification Result and every fault."""

from __future__ import annotations

import json
import logging

import pytest
import responses
from provider_stubs import FAULTS, Fault, tencent_error, tencent_fault, tencent_ok

from szca_unlock.config import ProviderEndpoints
from szca_unlock.providers import (
    CarrierClient,
    CarrierOutcome,
    FaultKind,
    ProviderRejected,
    ProviderUnavailable,
)

NAME, ID_NUMBER, MOBILE = "张三", "110101199003074477", "13800138000"


@pytest.mark.parametrize(
    ("result", "outcome"),
    [("0", CarrierOutcome.MATCH), ("-4", CarrierOutcome.MISMATCH),
     ("-6", CarrierOutcome.INVALID_MOBILE), ("-7", CarrierOutcome.INVALID_ID_NUMBER),
     ("-8", CarrierOutcome.INVALID_NAME), ("-9", CarrierOutcome.NO_RECORD),
     ("-12", CarrierOutcome.DAILY_LIMIT), ("-13", CarrierOutcome.UNSUPPORTED_NUMBER)],
)
def test_each_result_code_maps_to_its_outcome(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints, result: str,
    outcome: CarrierOutcome,
) -> None:
    tencent_ok(rsps, "PhoneVerification", Result=result, Description="d", Isp="移动")
    got = CarrierClient(endpoints).verify(NAME, ID_NUMBER, MOBILE)
    assert got.outcome is outcome
    assert got.raw_code == result
    assert got.verified is (outcome is CarrierOutcome.MATCH)
    assert got.message  # every outcome has a Chinese message for the user


def test_request_carries_the_three_elements(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints,
) -> None:
    tencent_ok(rsps, "PhoneVerification", Result="0", Description="认证通过", Isp="联通")
    CarrierClient(endpoints).verify(NAME, ID_NUMBER, MOBILE)
    sent = rsps.calls[0].request
    assert sent.headers["X-TC-Version"] == "2018-03-01"
    assert sent.headers["Authorization"].startswith(
        "TC3-HMAC-SHA256 Credential=AKIDszcaTestSecretId000000000000000/")
    assert "/faceid/tc3_request" in sent.headers["Authorization"]
    assert json.loads(sent.body) == {"Name": NAME, "IdCard": ID_NUMBER, "Phone": MOBILE}


def test_mismatch_says_it_came_from_the_carrier_records(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints,
) -> None:
    """FAQ-1: the user must learn the mismatch is the carrier's records, and what to do."""
    tencent_ok(rsps, "PhoneVerification", Result="-4", Description="三要素信息不一致", Isp="电信")
    got = CarrierClient(endpoints).verify(NAME, ID_NUMBER, MOBILE)
    assert got.mismatch_from_carrier
    assert got.isp == "电信" and got.carrier_name == "中国电信"
    assert "中国电信APP" in got.message
    assert "实名" in got.message and "对比" in got.message
    assert "先联系中国电信" in got.message


def test_mismatch_with_unknown_isp_still_names_the_carrier(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints,
) -> None:
    tencent_ok(rsps, "PhoneVerification", Result="-4", Description="三要素信息不一致", Isp="")
    got = CarrierClient(endpoints).verify(NAME, ID_NUMBER, MOBILE)
    assert "电信运营商APP" in got.message


def test_service_busy_result_is_a_fault_not_an_outcome(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints,
) -> None:
    tencent_ok(rsps, "PhoneVerification", Result="-11", Description="验证中心服务繁忙", Isp="")
    with pytest.raises(ProviderUnavailable) as info:
        CarrierClient(endpoints).verify(NAME, ID_NUMBER, MOBILE)
    assert info.value.fault is FaultKind.BUSY
    assert info.value.raw_code == "-11"
    assert info.value.message == "运营商校验服务暂时不可用，请稍后重试"


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_each_fault_raises_unavailable_once_without_retry(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints, fault: Fault,
) -> None:
    tencent_fault(rsps, "PhoneVerification", fault)
    with pytest.raises(ProviderUnavailable) as info:
        CarrierClient(endpoints).verify(NAME, ID_NUMBER, MOBILE)
    assert info.value.fault is fault.kind
    assert info.value.http_status == fault.http_status
    assert info.value.code == "provider.carrier.unavailable"
    assert info.value.message == "运营商校验服务暂时不可用，请稍后重试"
    assert len(rsps.calls) == 1  # billed check: never repeated


def test_internal_error_is_unavailable(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints,
) -> None:
    tencent_error(rsps, "PhoneVerification", "InternalError", "internal error")
    with pytest.raises(ProviderUnavailable) as info:
        CarrierClient(endpoints).verify(NAME, ID_NUMBER, MOBILE)
    assert info.value.fault is FaultKind.BUSY
    assert info.value.raw_code == "InternalError"
    assert info.value.request_id == "req-0002"


def test_signature_failure_is_rejected_with_raw_code(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints,
) -> None:
    tencent_error(rsps, "PhoneVerification", "AuthFailure.SignatureFailure", "bad signature")
    with pytest.raises(ProviderRejected) as info:
        CarrierClient(endpoints).verify(NAME, ID_NUMBER, MOBILE)
    assert info.value.raw_code == "AuthFailure.SignatureFailure"
    assert "400-112-3838" in info.value.message


def test_unknown_result_code_is_malformed(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints,
) -> None:
    tencent_ok(rsps, "PhoneVerification", Result="-99", Description="?", Isp="")
    with pytest.raises(ProviderUnavailable) as info:
        CarrierClient(endpoints).verify(NAME, ID_NUMBER, MOBILE)
    assert info.value.fault is FaultKind.MALFORMED


def test_logs_and_repr_never_hold_the_full_mobile_or_id(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints, caplog: pytest.LogCaptureFixture,
) -> None:
    tencent_ok(rsps, "PhoneVerification", Result="-4", Description="三要素信息不一致", Isp="移动")
    with caplog.at_level(logging.DEBUG):
        got = CarrierClient(endpoints).verify(NAME, ID_NUMBER, MOBILE)
    assert MOBILE not in caplog.text and ID_NUMBER not in caplog.text
    assert "8000" in caplog.text  # the masked mobile is still traceable
    assert MOBILE not in repr(got)
