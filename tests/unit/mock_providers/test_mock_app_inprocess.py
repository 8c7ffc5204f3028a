"""The same app in-process (TestClient): control routes and the no-socket reset fallback."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from emulator.mock_providers import ProviderState, create_app


@pytest.fixture
def client_and_state():
    state = ProviderState()
    with TestClient(create_app(state)) as client:
        yield client, state


def test_connection_reset_without_socket_raises_in_caller(client_and_state):
    client, state = client_and_state
    state.faults.add("deposit", "connection_reset")
    with pytest.raises(ConnectionResetError):
        client.post("/deposit/v1/verifications", json={})
    assert [e.fault for e in state.journal] == ["connection_reset"]


def test_control_calls_are_not_journaled(client_and_state):
    client, state = client_and_state
    assert client.post("/_control/reset").status_code == 204
    assert client.get("/_control/records").json()["face"] == []
    assert list(state.journal) == []
