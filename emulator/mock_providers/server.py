"""Run the mock providers with uvicorn in a background thread (tests, BDD, benchmarks)."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import uvicorn

from szca_unlock.keepalive import server_options

from .app import create_app
from .state import ProviderState


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class ProviderServer:
    """``with ProviderServer() as server: server.base_url`` — a live mock on a free port."""

    def __init__(self, state: ProviderState | None = None, host: str = "127.0.0.1",
                 port: int | None = None) -> None:
        self.state = state or ProviderState()
        self.host = host
        self.port = port or free_port(host)
        config = uvicorn.Config(create_app(self.state), host=host, port=self.port,
                                log_level="warning", access_log=False, lifespan="off",
                                timeout_graceful_shutdown=2, **server_options())
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name=f"mock-providers:{self.port}",
                                        daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def endpoint(self) -> str:
        """``host:port`` as the Tencent SDK's ``HttpProfile(endpoint=...)`` wants it."""
        return f"{self.host}:{self.port}"

    def start(self, timeout_s: float = 10.0) -> ProviderServer:
        self._thread.start()
        deadline = time.monotonic() + timeout_s
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"mock providers did not start on {self.base_url}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.state.faults.reset()  # releases requests held by a timeout fault
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> ProviderServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
