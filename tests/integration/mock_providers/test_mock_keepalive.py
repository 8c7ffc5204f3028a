"""A connection idle past uvicorn's and httpx's default 5 s is still reused, on both ends
(szca_unlock/keepalive.py): the server has not closed it, the client has not dropped it."""

from __future__ import annotations

import socket
import time

from emulator.mock_providers.client import ProviderControl
from emulator.mock_providers.server import ProviderServer

IDLE_S = 6.0
REQUEST = b"GET /_control/health HTTP/1.1\r\nHost: mock\r\n\r\n"


def _answer(sock: socket.socket) -> bytes:
    sock.sendall(REQUEST)
    return sock.recv(65536)


def test_an_idle_connection_is_reused_after_six_seconds() -> None:
    with ProviderServer() as server:
        control = ProviderControl(server.base_url)
        raw = socket.create_connection((server.host, server.port), timeout=5)
        try:
            assert _answer(raw).startswith(b"HTTP/1.1 200")
            control.health()
            pool = control._http._transport._pool
            (first,) = pool.connections
            time.sleep(IDLE_S)
            assert _answer(raw).startswith(b"HTTP/1.1 200"), "the server closed it"
            control.health()
            assert pool.connections == [first], "the client dropped it"
        finally:
            raw.close()
            control.close()
