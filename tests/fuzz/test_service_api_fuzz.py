"""Property-based fuzzing of the unlock service's API (schemathesis over the app's own
OpenAPI): whatever a client sends, the answer is never a 5xx (providers are healthy), its
status is one the schema documents, its body matches the documented schema (errors: the
``ErrorResponse`` envelope) and its content type is the declared one.

Every operation runs with generated data, positive and negative, as a logged-in applicant
(SMS login through the live mock) or, on staff routes, as a CA reviewer; half the
generated order numbers are replaced with real orders so the handlers are reached.
Operations are grouped so xdist spreads the groups, each group in a fresh world.
``SZCA_FUZZ_EXAMPLES`` raises the examples per operation (``tox -e fuzz``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from fuzz_runner import fuzz_operations
from fuzz_world import FuzzWorld, fuzz_world, personalise

from emulator.mock_providers.client import ProviderControl
from emulator.personas import Scenario
from emulator.testing.clock import TestClock
from emulator.testing.service_host import ServiceHost
from szca_unlock.config import ProviderEndpoints

# Path regexes per group; together they cover every operation (test_every_operation_grouped).
GROUPS: dict[str, str] = {
    "public": r"^/api/(health|unlock/guide|agreements|regions|certificates|assistant/)",
    "auth": r"^/api/auth/(sms-code|login|me)$",
    "logout": r"^/api/auth/logout$",
    "orders": r"^/api/orders(/\{order_no\}(/cancel|/result)?)?$",
    "organisation": r"^/api/orders/\{order_no\}/(organisation|authorization-letter)",
    "verifications": r"^/api/orders/\{order_no\}/verifications/",
    "unlock": r"^/api/orders/\{order_no\}/unlock/",
    "manual": r"^/api/orders/\{order_no\}/(manual|documents)",
    "staff": r"^/api/staff/",
}

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


@pytest.fixture(params=sorted(GROUPS))
def world(request: pytest.FixtureRequest, tmp_path: Path, template_db: Path,
          scenario: Scenario, clock: TestClock, ukey_master_key: bytes,
          service_host: ServiceHost, mock_provider_endpoints: ProviderEndpoints,
          mock_providers: ProviderControl) -> Iterator[tuple[str, FuzzWorld]]:
    with fuzz_world(tmp_path, template_db, scenario, clock, ukey_master_key, service_host,
                    mock_provider_endpoints, mock_providers) as built:
        yield request.param, built


def test_no_5xx_and_answers_as_documented(world: tuple[str, FuzzWorld]) -> None:
    group, built = world
    schema = schemathesis.openapi.from_asgi("/openapi.json", built.app).include(
        path_regex=GROUPS[group])
    report = fuzz_operations(schema, lambda case: personalise(case, built), CHECKS,
                             after=built.after)
    print(report.summary())
    assert not report.failures, "\n\n".join(report.failures)


def test_every_operation_is_fuzzed_in_exactly_one_group(service: str) -> None:
    """A new route joins a group (or gets one), so the fuzzer never silently skips it."""
    paths = httpx.get(f"{service}/openapi.json", timeout=30).json()["paths"]
    for path in paths:
        matching = [g for g, regex in GROUPS.items() if re.search(regex, path)]
        assert len(matching) == 1, f"{path} is in groups {matching}"
