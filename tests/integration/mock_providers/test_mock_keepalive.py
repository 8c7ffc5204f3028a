"""A connection idle past uvicorn's and httpx's default 5 s is still reused, on both ends
(szca_unlock/keepalive.py): the server has not closed it, the client has not dropped it."""

from __future__ import annotations

import http.client
import time

from emulator.mock_providers.client import ProviderControl
from emulator.mock_providers.server import ProviderServer

IDLE_S = 6.0


def _health(connection: http.client.HTTPConnection) -> int:
    connection.request("GET", "/_control/health")
    response = connection.getresponse()
    response.read()
    return response.status


def test_an_idle_connection_is_reused_after_six_seconds() -> None:
    with ProviderServer() as server:
        control = ProviderControl(server.base_url)
        raw = http.client.HTTPConnection(server.host, server.port, timeout=5)
        try:
            assert _health(raw) == 200
            socket_before = raw.sock
            control.health()
            pool = control._http._transport._pool
            (first,) = pool.connections
            time.sleep(IDLE_S)
            # http.client sends on the same socket; a closed one raises RemoteDisconnected
            assert _health(raw) == 200 and raw.sock is socket_before
            control.health()
            assert pool.connections == [first], "the client dropped it"
        finally:
            raw.close()
            control.close()
