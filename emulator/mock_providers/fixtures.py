"""pytest fixtures: a live mock on a free loopback port and its control client.

Register with ``pytest_plugins = ["emulator.mock_providers.fixtures"]`` (the project plugin does).
- ``mock_providers_server`` (session): the running ``ProviderServer``.
- ``mock_providers`` (function): ``ProviderControl``, the world reset before each test.
- ``mock_provider_endpoints`` (function): ``ProviderEndpoints`` pointing the product at the mock.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from szca_unlock.config import ProviderEndpoints

from .client import ProviderControl
from .server import ProviderServer


@pytest.fixture(scope="session")
def mock_providers_server() -> Iterator[ProviderServer]:
    with ProviderServer() as server:
        yield server


@pytest.fixture
def mock_providers(mock_providers_server: ProviderServer) -> Iterator[ProviderControl]:
    control = ProviderControl(mock_providers_server.base_url)
    control.reset()
    try:
        yield control
    finally:
        control.reset()
        control.close()


@pytest.fixture
def mock_provider_endpoints(mock_providers_server: ProviderServer,
                            mock_providers: ProviderControl) -> ProviderEndpoints:
    return replace(ProviderEndpoints(), tencent_endpoint=mock_providers_server.endpoint,
                   tencent_protocol="http",
                   deposit_base_url=f"{mock_providers_server.base_url}/deposit")
