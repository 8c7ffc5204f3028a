"""The manual-review suites run on the same world as the service suites: the live mock
providers, the service on a loopback server (fresh database per test), the default
personas and locked virtual U-KEYs. Those fixtures are defined once, in
tests/integration/service/conftest.py; they are loaded from there, not copied."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SERVICE_TESTS = Path(__file__).resolve().parents[1] / "service"
if str(SERVICE_TESTS) not in sys.path:
    sys.path.insert(0, str(SERVICE_TESTS))  # service_harness, service_cards, service_server

_spec = importlib.util.spec_from_file_location("service_integration_fixtures",
                                               SERVICE_TESTS / "conftest.py")
assert _spec is not None and _spec.loader is not None
_service = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_service)

mock_providers_server = _service.mock_providers_server
mock_providers = _service.mock_providers
mock_provider_endpoints = _service.mock_provider_endpoints
master_key = _service.master_key
scenario = _service.scenario
test_ca = _service.test_ca
template_db = _service.template_db
service_server = _service.service_server
clock = _service.clock
service = _service.service
api_factory = _service.api_factory
api = _service.api
locked_key = _service.locked_key
