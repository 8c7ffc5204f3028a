"""Each refusal declares its HTTP status on its class; the service answers with it."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest

from szca_unlock.domain.certificates import CertificateNotUnlockable, normalise_serial
from szca_unlock.domain.errors import CS_HELP, DomainError, ValidationError
from szca_unlock.domain.orders import IllegalTransition, OrderEvent, OrderState
from szca_unlock.domain.rate_limit import RateLimited
from szca_unlock.providers.errors import FaultKind, Provider, ProviderRejected, ProviderUnavailable
from szca_unlock.providers.sms import SmsFailure, SmsRateLimited, SmsRejected
from szca_unlock.service.errors import DataConflict, Forbidden, Unauthenticated
from szca_unlock.store.errors import (
    CertificateClaimed,
    LoginCodeMissing,
    NotFound,
    SessionMissing,
    VerificationMissing,
)
from szca_unlock.unlock.errors import KeySerialMismatch, MalformedUnlockRequest

NOW = datetime(2026, 11, 26, tzinfo=UTC)


@pytest.mark.parametrize(("error", "status"), [
    (DomainError("x", "业务规则不允许"), 400),
    (ValidationError("x", "格式不正确"), 422),
    (CertificateNotUnlockable("certificate.expired", "该证书已过期"), 422),
    (IllegalTransition(OrderState.DRAFT, OrderEvent.COMPLETE_UNLOCK), 409),
    (RateLimited("rate_limited", "操作过于频繁", 30), 429),
    (ProviderUnavailable(Provider.SMS, FaultKind.TIMEOUT), 503),
    (ProviderRejected(Provider.SMS), 502),
    (SmsRejected(SmsFailure.BLACKLISTED, "拒收", raw_code="x", request_id=None), 400),
    (SmsRateLimited(SmsFailure.RATE_LIMITED, "过于频繁", raw_code="x", request_id=None), 429),
    (NotFound("order", "未找到该业务单"), 404),
    (LoginCodeMissing(), 400),
    (SessionMissing(), 401),
    (VerificationMissing("请先发起身份验证"), 409),
    (CertificateClaimed(), 409),
    (KeySerialMismatch(), 409),
    (MalformedUnlockRequest("challenge"), 422),
    (Unauthenticated(), 401),
    (Forbidden(), 403),
    (DataConflict("key_serial"), 409),
])
def test_the_class_declares_the_status(error: DomainError, status: int) -> None:
    assert error.status == status


def test_codes_and_help_travel_with_the_error() -> None:
    assert (LoginCodeMissing().code, SessionMissing().code) == (
        "login_code.not_found", "session.not_found")
    assert VerificationMissing("x").code == "verification.not_found"
    assert DataConflict("key_serial").help == CS_HELP
    assert DomainError("x", "y").help is None


def test_a_malformed_serial_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as refused:
        normalise_serial("not hex!")
    assert refused.value.code == "certificate.serial_format"


def test_no_error_class_declares_its_status_under_another_name() -> None:
    """``status`` is the one place: an ``http_status`` class attribute would be ignored
    (read from the source, so every module counts without importing it)."""
    src = Path(__file__).resolve().parents[3] / "src" / "szca_unlock"
    offenders = []
    for path in src.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    targets = (item.targets if isinstance(item, ast.Assign)
                               else [item.target] if isinstance(item, ast.AnnAssign) else [])
                    if any(isinstance(t, ast.Name) and t.id == "http_status" for t in targets):
                        offenders.append(f"{path.name}:{node.name}")
    assert offenders == []
