"""The official Tencent Cloud SDKs (Python and Node.js) against the live mock providers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sdk_runner import SDKS, node_available, run

from emulator.mock_providers.server import ProviderServer

Call = Callable[..., dict[str, Any]]


@pytest.fixture(params=SDKS)
def sdk(request: pytest.FixtureRequest) -> str:
    if request.param == "node" and (why := node_available()):
        pytest.fail(why)  # the project's set-up installs both; a missing SDK is a broken set-up
    return str(request.param)


@pytest.fixture
def call(sdk: str, mock_providers_server: ProviderServer, mock_providers: Any) -> Call:
    """``call(service, action, params, **case)``: one call through the SDK under test."""
    def one(service: str, action: str, params: dict[str, Any], **case: Any) -> dict[str, Any]:
        return run(sdk, [{"service": service, "action": action, "params": params, **case}],
                   mock_providers_server.endpoint)[0]
    return one


@pytest.fixture
def call_many(sdk: str, mock_providers_server: ProviderServer,
              mock_providers: Any) -> Callable[[list[dict[str, Any]]], list[dict[str, Any]]]:
    """Several cases in one go (one Node process for all of them)."""
    def many(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return run(sdk, cases, mock_providers_server.endpoint)
    return many
