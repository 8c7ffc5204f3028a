"""Contract tests: the product's clients against the live mock over HTTP (fast, loopback)."""

from __future__ import annotations

from dataclasses import replace

import pytest

# mock_providers / mock_provider_endpoints come from the project's pytest plugin
# (emulator/pytest_plugin.py registers emulator.mock_providers.fixtures).
from szca_unlock.config import ProviderEndpoints
from szca_unlock.providers import ProviderClients, RetryPolicy

FAST_RETRY = RetryPolicy(retries=2, backoff_s=0.01)


@pytest.fixture
def endpoints(mock_provider_endpoints: ProviderEndpoints) -> ProviderEndpoints:
    return replace(mock_provider_endpoints, timeout_s=2.0)


@pytest.fixture
def clients(endpoints: ProviderEndpoints) -> ProviderClients:
    return ProviderClients.from_endpoints(endpoints, retry=FAST_RETRY)
