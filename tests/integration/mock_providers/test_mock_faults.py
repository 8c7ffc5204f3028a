"""Each fault kind, for N calls or at a rate, as the official SDK and a plain HTTP client see it."""

from __future__ import annotations

import time

import httpx
import pytest
from provider_calls import phone_verification, send_sms
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

ID = "110101199003077774"


def _sdk_error(call):
    with pytest.raises(TencentCloudSDKException) as err:
        call()
    return err.value


@pytest.mark.parametrize(("kind", "code", "text"), [
    ("http_5xx", "ServerNetworkError", "Service Unavailable"),
    ("connection_reset", "ClientNetworkError", "reset"),
    ("malformed", "JSONDecodeError", ""),
])
def test_fault_reaches_sdk_once_then_calls_recover(make_faceid, mock_providers, kind, code, text):
    faceid = make_faceid()
    mock_providers.fail_next("carrier", kind, action="PhoneVerification")
    error = _sdk_error(lambda: phone_verification(faceid, "王五", ID, "19900990000"))
    assert error.code == code and text in str(error)
    assert phone_verification(faceid, "王五", ID, "19900990000").Result == "0"
    faulted = [e for e in mock_providers.journal(provider="carrier") if e.fault]
    assert [e.fault for e in faulted] == [kind]


def test_timeout_fault_outlasts_client_timeout(make_faceid, mock_providers):
    faceid = make_faceid(timeout=1)
    mock_providers.fail_next("carrier", "timeout", latency_ms=3000)
    started = time.monotonic()
    error = _sdk_error(lambda: phone_verification(faceid, "王五", ID, "19900990000"))
    assert error.code == "ClientNetworkError" and "timed out" in str(error)
    assert 0.9 < time.monotonic() - started < 2.9
    mock_providers.clear_faults()  # lets the held request go


def test_latency_fault_delays_but_answers(make_faceid, mock_providers):
    faceid = make_faceid()
    mock_providers.fail_next("carrier", "latency", latency_ms=300)
    started = time.monotonic()
    assert phone_verification(faceid, "王五", ID, "19900990000").Result == "0"
    assert time.monotonic() - started >= 0.3


def test_count_applies_to_exactly_n_calls_of_that_action_only(sms, make_faceid, mock_providers):
    mock_providers.fault("sms", "http_5xx", action="SendSms", count=2)
    phone_verification(make_faceid(), "王五", ID, "19900990000")  # other provider untouched
    for _ in range(2):
        assert _sdk_error(lambda: send_sms(sms, "13800138000")).code == "ServerNetworkError"
    assert send_sms(sms, "13800138000").SendStatusSet[0].Code == "Ok"
    assert len(mock_providers.outbox("13800138000")) == 1


def test_fault_scoped_to_a_mobile_leaves_other_users_calls_alone(make_faceid, mock_providers):
    # Several test sessions share one deployment's providers: one session's outage must not
    # hit another's user.
    faceid = make_faceid()
    mock_providers.fault("carrier", "http_5xx", action="PhoneVerification", count=2,
                         mobile="19900990000")
    assert phone_verification(faceid, "王五", ID, "19900990004").Result == "-4"  # not hit
    assert _sdk_error(lambda: phone_verification(faceid, "王五", ID, "19900990000")).code == (
        "ServerNetworkError")
    faulted = [e for e in mock_providers.journal(provider="carrier") if e.fault]
    assert [e.mobile for e in faulted] == ["19900990000"]


def test_rate_applies_to_a_share_of_calls(sms, mock_providers):
    mock_providers.fault("sms", "http_5xx", rate=0.5, seed=7)
    failures = 0
    for _ in range(40):
        try:
            send_sms(sms, "13800138000")
        except TencentCloudSDKException:
            failures += 1
    assert 8 <= failures <= 32
    assert len(mock_providers.outbox()) == 40 - failures


@pytest.mark.parametrize("kind", ["http_5xx", "malformed", "connection_reset"])
def test_deposit_faults(deposit, mock_providers, kind):
    mock_providers.fail_next("deposit", kind, action="create_verification")
    if kind == "connection_reset":
        with pytest.raises(httpx.TransportError):
            deposit.create("990000000000")
    else:
        response = deposit.create("990000000000")
        assert response.status_code == (503 if kind == "http_5xx" else 200)
        with pytest.raises(ValueError):
            response.json()["verification_id"]
    assert mock_providers.deposit_statement("990000000000") == []
    assert deposit.create("990000000000").status_code == 201


def test_bad_fault_specs_are_refused(mock_providers):
    from emulator.mock_providers.client import ControlError
    with pytest.raises(ControlError):
        mock_providers.fault("sms", "http_5xx", count=1, rate=0.5)
    with pytest.raises(ControlError):
        mock_providers.fault("sms", "explode")
