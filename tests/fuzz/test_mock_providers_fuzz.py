"""Property-based fuzzing of the mock identity providers (schemathesis over the mock's own
OpenAPI): the control API (``/_control``), the micro-deposit REST API (signed over the exact
bytes sent) and the Tencent Cloud endpoint never answer 5xx to anything a client sends, and
answer the statuses, bodies and content types their schema documents. Each operation runs
against a fresh mock state, so a fault or clock jump one example sets up stays there."""

from __future__ import annotations

from typing import Any

import schemathesis
from deposit_signing import UNSIGNED, SigningApp
from fuzz_runner import fuzz_operations
from fuzz_world import seeded

from emulator.mock_providers.app import create_app
from emulator.mock_providers.state import ProviderState
from szca_unlock.config import ProviderEndpoints

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


def fresh_mock(_: Any = None) -> SigningApp:
    endpoints = ProviderEndpoints()
    return SigningApp(create_app(ProviderState()), endpoints.deposit_key_id,
                      endpoints.deposit_secret)


def sign_most(case: Any) -> None:
    """Three deposit calls in four are signed; the fourth tests the refusal."""
    if seeded((case.path_parameters, case.body), 4):
        case.headers = {**(case.headers or {}), UNSIGNED: "1"}


def test_mock_providers_never_500_and_answer_as_documented() -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", fresh_mock())
    report = fuzz_operations(schema, sign_most, CHECKS, app_for=fresh_mock)
    print(report.summary())
    assert not report.failures, "\n\n".join(report.failures)
