"""Every fault kind the mock injects, seen through the product's clients: a clear
``ProviderUnavailable`` and nothing recorded as verified; safe reads recover by retrying."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from emulator.mock_providers.client import ProviderControl
from szca_unlock.config import ProviderEndpoints
from szca_unlock.providers import (
    FaceOutcome,
    FaultKind,
    ProviderClients,
    ProviderUnavailable,
    RetryPolicy,
    SmsTemplate,
    TransferStatus,
)

FAST_RETRY = RetryPolicy(retries=2, backoff_s=0.01)
# Well above what a loaded 2-core machine adds to an answer (0.3 s timed out on a
# malformed answer while two suites shared the cores), well below HOLD_MS.
CLIENT_TIMEOUT_S = 1.0
HOLD_MS = 2500  # the mock holds a "timeout" request longer than the client waits

# mock fault kind -> what the client must report
KINDS = {"http_5xx": FaultKind.HTTP_5XX, "connection_reset": FaultKind.CONNECTION,
         "timeout": FaultKind.TIMEOUT, "malformed": FaultKind.MALFORMED}

Call = Callable[[ProviderClients], Any]
# (mock provider, mock action, the product call, Chinese message)
CALLS: list[tuple[str, str, Call, str]] = [
    ("sms", "SendSms",
     lambda c: c.sms.send("19900980000", SmsTemplate.LOGIN_CODE, ["123456", "5"]), "短信服务"),
    ("carrier", "PhoneVerification",
     lambda c: c.carrier.verify("张三", "110101199003074477", "19900990000"), "运营商校验服务"),
    ("bank", "BankCard4EVerification",
     lambda c: c.bank_card.verify("张三", "110101199003074477", "6222990000000001",
                                  "13800138000"), "银联校验服务"),
    ("face", "DetectAuth",
     lambda c: c.face.start("张三", "110101199001019001", "https://x.test/"), "人脸核身服务"),
    ("deposit", "create_verification",
     lambda c: c.deposit.initiate("深圳测试公司", "招商银行", "深圳分行", "990000000000"),
     "企业对公打款服务"),
]


@pytest.fixture
def impatient(endpoints: ProviderEndpoints) -> ProviderClients:
    return ProviderClients.from_endpoints(replace(endpoints, timeout_s=CLIENT_TIMEOUT_S),
                                          retry=FAST_RETRY)


def _faulted(control: ProviderControl, provider: str, action: str) -> list[Any]:
    """The journal's faulted entries, waiting for a held ("timeout") request to be released:
    the mock records it only when the hold ends, and it must not leak into the next test."""
    deadline = time.monotonic() + 3 * HOLD_MS / 1000
    while True:
        faulted = [e for e in control.journal(provider=provider, action=action) if e.fault]
        if faulted or time.monotonic() > deadline:
            return faulted
        time.sleep(0.05)


def _nothing_verified(control: ProviderControl, provider: str, action: str) -> None:
    """The world shows no effect of the failed call."""
    assert _faulted(control, provider, action), "the mock journal shows the injected fault"
    if provider == "sms":
        assert control.outbox("19900980000") == []
    if provider == "deposit":
        assert control.deposit_statement("990000000000") == []


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("provider", "action", "call", "service"), CALLS,
                         ids=[c[0] for c in CALLS])
def test_fault_is_a_clear_unavailable_error(
    impatient: ProviderClients, mock_providers: ProviderControl, provider: str, action: str,
    call: Call, service: str, kind: str,
) -> None:
    mock_providers.fail_next(provider, kind, action=action, latency_ms=HOLD_MS)
    with pytest.raises(ProviderUnavailable) as info:
        call(impatient)
    assert info.value.fault is KINDS[kind]
    assert info.value.message == f"{service}暂时不可用，请稍后重试"
    assert info.value.code.endswith(".unavailable")
    if kind == "http_5xx":
        assert info.value.http_status == 503
    _nothing_verified(mock_providers, provider, action)
    assert len(mock_providers.journal(provider=provider)) == 1  # unsafe calls are not repeated


@pytest.mark.parametrize(("provider", "action", "call", "service"), CALLS,
                         ids=[c[0] for c in CALLS])
def test_added_latency_below_the_timeout_still_answers(
    impatient: ProviderClients, mock_providers: ProviderControl, provider: str, action: str,
    call: Call, service: str,
) -> None:
    mock_providers.fail_next(provider, "latency", action=action, latency_ms=100)
    assert call(impatient) is not None


@pytest.mark.parametrize("kind", KINDS)
def test_face_result_recovers_from_one_fault_by_retrying(
    impatient: ProviderClients, mock_providers: ProviderControl, kind: str,
) -> None:
    session = impatient.face.start("张三", "110101199001019001", "https://x.test/")
    mock_providers.fail_next("face", kind, action="GetDetectInfoEnhanced", latency_ms=HOLD_MS)
    assert impatient.face.result(session.biz_token).outcome is FaceOutcome.PASSED
    assert _faulted(mock_providers, "face", "GetDetectInfoEnhanced")
    assert len(mock_providers.journal(provider="face", action="GetDetectInfoEnhanced")) == 2


def test_face_result_gives_up_after_three_faults(
    impatient: ProviderClients, mock_providers: ProviderControl,
) -> None:
    session = impatient.face.start("张三", "110101199001019001", "https://x.test/")
    mock_providers.fail_next("face", "http_5xx", action="GetDetectInfoEnhanced", count=3)
    with pytest.raises(ProviderUnavailable) as info:
        impatient.face.result(session.biz_token)
    assert info.value.message == "人脸核身服务暂时不可用，请稍后重试"


@pytest.mark.parametrize("kind", KINDS)
def test_deposit_status_recovers_from_one_fault_by_retrying(
    impatient: ProviderClients, mock_providers: ProviderControl, kind: str,
) -> None:
    transfer = impatient.deposit.initiate("深圳测试公司", "招商银行", "深圳分行", "990000000000")
    mock_providers.fail_next("deposit", kind, action="get_verification", latency_ms=HOLD_MS)
    assert impatient.deposit.status(transfer.verification_id).status is (
        TransferStatus.TRANSFERRED)
    assert _faulted(mock_providers, "deposit", "get_verification")


@pytest.mark.parametrize("kind", KINDS)
def test_deposit_confirm_fault_spends_no_attempt_and_verifies_nothing(
    impatient: ProviderClients, mock_providers: ProviderControl, kind: str,
) -> None:
    transfer = impatient.deposit.initiate("深圳测试公司", "招商银行", "深圳分行", "990000000000")
    mock_providers.fail_next("deposit", kind, action="confirm_verification", latency_ms=HOLD_MS)
    with pytest.raises(ProviderUnavailable) as info:
        impatient.deposit.confirm(transfer.verification_id, "000000")
    assert info.value.fault is KINDS[kind]
    assert _faulted(mock_providers, "deposit", "confirm_verification")
    assert impatient.deposit.status(transfer.verification_id).status is not (
        TransferStatus.VERIFIED)


def test_fault_rate_one_fails_every_call(
    impatient: ProviderClients, mock_providers: ProviderControl,
) -> None:
    mock_providers.fault("carrier", "http_5xx", action="PhoneVerification", rate=1.0)
    for _ in range(3):
        with pytest.raises(ProviderUnavailable):
            impatient.carrier.verify("张三", "110101199003074477", "19900990000")
    mock_providers.clear_faults()
    assert impatient.carrier.verify("张三", "110101199003074477", "19900990000").verified
