"""Contract tests: the product's clients against the live mock over HTTP (fast, loopback)."""

from __future__ import annotations

from dataclasses import replace

import pytest

# The mock's fixtures (the project plugin may register them too; these definitions then win).
from emulator.mock_providers.fixtures import (  # noqa: F401
    mock_provider_endpoints,
    mock_providers,
    mock_providers_server,
)
from szca_unlock.config import ProviderEndpoints
from szca_unlock.providers import ProviderClients, RetryPolicy

FAST_RETRY = RetryPolicy(retries=2, backoff_s=0.01)


@pytest.fixture
def endpoints(mock_provider_endpoints: ProviderEndpoints) -> ProviderEndpoints:  # noqa: F811
    return replace(mock_provider_endpoints, timeout_s=2.0)


@pytest.fixture
def clients(endpoints: ProviderEndpoints) -> ProviderClients:
    return ProviderClients.from_endpoints(endpoints, retry=FAST_RETRY)
