"""Every client of the project drops an idle connection before any server of the project
closes it (szca_unlock/keepalive.py): equal timeouts (uvicorn's and httpx's default, 5 s)
made load runs fail with "Server disconnected without sending a response"."""

from __future__ import annotations

from typing import Any

import pytest

from szca_unlock.keepalive import SERVER_KEEP_ALIVE_S

# A reuse just before the client's expiry must still find the server holding on, even
# with the server's event loop this late.
MARGIN_S = 10.0


def _expiry(transport: Any) -> float:
    return float(transport._pool._keepalive_expiry)  # httpx keeps it on its pool


def _client_expiries() -> dict[str, float]:
    from emulator.mock_providers.client import ProviderControl
    from emulator.testing.api import Api
    from load.transport import LocustTransport
    from szca_unlock.client import ServiceClient
    from szca_unlock.client.unlock import HttpUnlockServiceClient

    control = ProviderControl("http://127.0.0.1:9")
    clients = {
        "ServiceClient": ServiceClient("http://127.0.0.1:9")._http._transport,
        "HttpUnlockServiceClient": HttpUnlockServiceClient("http://127.0.0.1:9", "t")
        ._http._transport,
        "ProviderControl": control._http._transport,
        "emulator Api": Api("http://127.0.0.1:9", control).client._transport,
        "LocustTransport": LocustTransport(lambda **_: None)._inner,
    }
    return {name: _expiry(transport) for name, transport in clients.items()}


def test_every_client_lets_an_idle_connection_go_well_before_the_servers_do() -> None:
    for name, expiry in _client_expiries().items():
        assert expiry + MARGIN_S <= SERVER_KEEP_ALIVE_S, name


def _keep_alive_of_main(monkeypatch: pytest.MonkeyPatch, module: Any, argv: list[str]) -> int:
    seen: dict[str, Any] = {}
    monkeypatch.setattr(module.uvicorn, "run", lambda app, **kw: seen.update(kw))
    module.main(argv)
    return int(seen.get("timeout_keep_alive", 5))  # 5: uvicorn's default


def test_every_server_keeps_idle_connections_for_the_agreed_time(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import emulator.mock_providers.__main__ as mock_main
    import load.serve
    import szca_unlock.service.__main__ as service_main
    from emulator.mock_providers.server import ProviderServer
    from emulator.testing.service_host import ServiceHost

    monkeypatch.setenv("SZCA_UNLOCK_MASTER_KEY", "00" * 32)
    monkeypatch.setattr(service_main, "create_app", lambda settings: None)
    monkeypatch.setattr(load.serve, "create_app", lambda settings: None)
    assert _keep_alive_of_main(monkeypatch, service_main, ["--port", "1"]) == SERVER_KEEP_ALIVE_S
    assert _keep_alive_of_main(monkeypatch, load.serve,
                               ["--port", "1", "--app", "hello"]) == SERVER_KEEP_ALIVE_S
    assert _keep_alive_of_main(monkeypatch, mock_main, ["--port", "1"]) == SERVER_KEEP_ALIVE_S
    assert ProviderServer()._server.config.timeout_keep_alive == SERVER_KEEP_ALIVE_S
    assert ServiceHost()._server.config.timeout_keep_alive == SERVER_KEEP_ALIVE_S

