"""Micro-deposit REST client: signed requests, every error code, faults, retry only on GET."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import requests
import responses
from provider_stubs import DEPOSIT_BASE, FAULTS, Fault

from szca_unlock.config import ProviderEndpoints
from szca_unlock.providers import (
    DepositClient,
    DepositErrorCode,
    DepositRejected,
    FaultKind,
    ProviderRejected,
    ProviderUnavailable,
    TransferStatus,
)
from szca_unlock.providers._retry import RetryPolicy

URL = f"{DEPOSIT_BASE}/v1/verifications"
VID = "dv_0001"
ACCOUNT = ("深圳市测试科技有限公司", "招商银行", "深圳分行营业部", "755912345678")
CREATED = {"verification_id": VID, "status": "transferred", "amount": "0.01",
           "expires_at": "2030-01-01T10:30:00Z"}


@pytest.fixture
def client(endpoints: ProviderEndpoints) -> DepositClient:
    return DepositClient(endpoints, retry=RetryPolicy(retries=2, backoff_s=0))


def _error(code: str, message: str = "m", **extra: object) -> dict[str, object]:
    return {"error": {"code": code, "message": message, **extra}}


def _assert_signed(request: requests.PreparedRequest, method: str, path: str) -> None:
    """Recompute the documented signature from what went over the wire."""
    h = request.headers
    body = request.body or b""
    body = body.encode() if isinstance(body, str) else body
    payload = "\n".join((method, path, h["X-SZCA-Timestamp"], h["X-SZCA-Nonce"],
                         hashlib.sha256(body).hexdigest()))
    expected = hmac.new(b"szca-deposit-test-secret", payload.encode(), hashlib.sha256).hexdigest()
    assert h["X-SZCA-Key-Id"] == "szca-test"
    assert h["X-SZCA-Signature"] == expected
    assert abs(int(h["X-SZCA-Timestamp"]) - datetime.now(UTC).timestamp()) < 5


def test_initiate_signs_the_request_and_returns_the_transfer(
    rsps: responses.RequestsMock, client: DepositClient,
) -> None:
    rsps.post(URL, json=CREATED, status=201)
    transfer = client.initiate(*ACCOUNT)
    assert transfer.verification_id == VID
    assert transfer.status is TransferStatus.TRANSFERRED and transfer.code_available
    assert transfer.amount == Decimal("0.01")
    assert transfer.expires_at == datetime(2030, 1, 1, 10, 30, tzinfo=UTC)
    sent = rsps.calls[0].request
    assert json.loads(sent.body) == dict(
        zip(("company_name", "bank_name", "branch_name", "account_number"), ACCOUNT, strict=True))
    _assert_signed(sent, "POST", "/deposit/v1/verifications")


def test_status_and_confirm_sign_their_paths(
    rsps: responses.RequestsMock, client: DepositClient,
) -> None:
    rsps.get(f"{URL}/{VID}", json={**CREATED, "status": "pending"})
    rsps.post(f"{URL}/{VID}/confirm", json={"verification_id": VID, "status": "verified"})
    pending = client.status(VID)
    assert pending.status is TransferStatus.PENDING and not pending.code_available
    done = client.confirm(VID, "123456")
    assert done.verified and done.amount is None
    _assert_signed(rsps.calls[0].request, "GET", f"/deposit/v1/verifications/{VID}")
    _assert_signed(rsps.calls[1].request, "POST", f"/deposit/v1/verifications/{VID}/confirm")
    assert json.loads(rsps.calls[1].request.body) == {"code": "123456"}
    nonces = {c.request.headers["X-SZCA-Nonce"] for c in rsps.calls}
    assert len(nonces) == 2  # single use


@pytest.mark.parametrize(
    ("status", "code", "field", "words"),
    [(404, "ACCOUNT_NOT_FOUND", "account_number", "未找到该对公账户"),
     (422, "ACCOUNT_NAME_MISMATCH", "account_number", "户名与企业名称不一致"),
     (409, "TRANSFER_PENDING", None, "打款处理中"),
     (409, "TRANSFER_FAILED", None, "打款失败"),
     (410, "VERIFICATION_EXPIRED", "code", "已过期（有效期30分钟）"),
     (429, "ATTEMPTS_EXHAUSTED", "code", "错误次数过多"),
     (404, "VERIFICATION_NOT_FOUND", None, "未找到该打款验证记录"),
     (422, "VALIDATION_ERROR", None, "6位数字")],
)
def test_each_error_code_is_a_typed_rejection(
    rsps: responses.RequestsMock, client: DepositClient, status: int, code: str,
    field: str | None, words: str,
) -> None:
    rsps.post(f"{URL}/{VID}/confirm", json=_error(code), status=status)
    with pytest.raises(DepositRejected) as info:
        client.confirm(VID, "000000")
    assert info.value.reason is DepositErrorCode(code)
    assert info.value.raw_code == code and info.value.http_status == status
    assert info.value.field == field and words in info.value.message
    assert len(rsps.calls) == 1


def test_wrong_code_tells_how_many_attempts_are_left(
    rsps: responses.RequestsMock, client: DepositClient,
) -> None:
    rsps.post(f"{URL}/{VID}/confirm", json=_error("CODE_MISMATCH", attempts_left=2), status=400)
    with pytest.raises(DepositRejected) as info:
        client.confirm(VID, "000000")
    assert info.value.reason is DepositErrorCode.CODE_MISMATCH
    assert info.value.attempts_left == 2 and "还可尝试2次" in info.value.message


def test_signature_invalid_is_a_configuration_fault(
    rsps: responses.RequestsMock, client: DepositClient,
) -> None:
    rsps.post(URL, json=_error("SIGNATURE_INVALID", "签名校验失败"), status=401)
    with pytest.raises(ProviderRejected) as info:
        client.initiate(*ACCOUNT)
    assert info.value.raw_code == "SIGNATURE_INVALID" and info.value.http_status == 401
    assert not isinstance(info.value, DepositRejected)


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_initiate_fault_is_unavailable_and_never_repeated(
    rsps: responses.RequestsMock, client: DepositClient, fault: Fault,
) -> None:
    rsps.post(URL, **fault.stub)
    with pytest.raises(ProviderUnavailable) as info:
        client.initiate(*ACCOUNT)
    assert info.value.fault is fault.kind and info.value.http_status == fault.http_status
    assert info.value.message == "企业对公打款服务暂时不可用，请稍后重试"
    assert len(rsps.calls) == 1  # a second transfer would move money twice


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_confirm_fault_is_not_repeated(
    rsps: responses.RequestsMock, client: DepositClient, fault: Fault,
) -> None:
    rsps.post(f"{URL}/{VID}/confirm", **fault.stub)
    with pytest.raises(ProviderUnavailable):
        client.confirm(VID, "123456")
    assert len(rsps.calls) == 1  # each confirm spends one of the 3 attempts


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_status_is_retried_with_a_fresh_nonce(
    rsps: responses.RequestsMock, client: DepositClient, fault: Fault,
) -> None:
    rsps.get(f"{URL}/{VID}", **fault.stub)
    rsps.get(f"{URL}/{VID}", json=CREATED)
    assert client.status(VID).status is TransferStatus.TRANSFERRED
    assert len(rsps.calls) == 2
    assert rsps.calls[0].request.headers["X-SZCA-Nonce"] != rsps.calls[1].request.headers[
        "X-SZCA-Nonce"]


def test_status_gives_up_after_three_attempts(
    rsps: responses.RequestsMock, client: DepositClient,
) -> None:
    rsps.get(f"{URL}/{VID}", status=502, body="Bad Gateway", content_type="text/plain")
    with pytest.raises(ProviderUnavailable) as info:
        client.status(VID)
    assert info.value.fault is FaultKind.HTTP_5XX and len(rsps.calls) == 3


@pytest.mark.parametrize(
    "payload",
    [{"status": "transferred"}, {**CREATED, "status": "teleported"}, {**CREATED, "amount": "x"},
     ["not", "an", "object"]],
)
def test_answer_missing_or_wrong_fields_is_malformed(
    rsps: responses.RequestsMock, client: DepositClient, payload: object,
) -> None:
    rsps.post(URL, json=payload, status=201)
    with pytest.raises(ProviderUnavailable) as info:
        client.initiate(*ACCOUNT)
    assert info.value.fault is FaultKind.MALFORMED


def test_account_number_is_masked_in_logs(
    rsps: responses.RequestsMock, client: DepositClient, caplog: pytest.LogCaptureFixture,
) -> None:
    rsps.post(URL, json=CREATED, status=201)
    with caplog.at_level(logging.DEBUG, logger="szca"):
        client.initiate(*ACCOUNT)
    assert ACCOUNT[3] not in caplog.text and "5678" in caplog.text
