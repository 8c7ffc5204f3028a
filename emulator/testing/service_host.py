"""The service in the test process: one loopback uvicorn server per session, a fresh app
(fresh database, fresh rate limits) mounted on it per test or scenario."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import uvicorn

from szca_unlock.config import ProviderEndpoints, Settings
from szca_unlock.keepalive import server_options
from szca_unlock.providers import ProviderClients
from szca_unlock.service.app import create_app


class _Mount:
    """ASGI app forwarding to whichever app is mounted now (none between tests)."""

    def __init__(self) -> None:
        self.app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan" or self.app is None:
            return
        await self.app(scope, receive, send)


class ServiceHost:
    """``with ServiceHost() as host: host.mount(app)``; ``host.base_url`` for HTTP clients.

    Starting uvicorn per test costs more than the tests themselves, hence one server whose
    app is swapped."""

    def __init__(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self._mount = _Mount()
        self._server = uvicorn.Server(uvicorn.Config(
            self._mount, host="127.0.0.1", port=self.port, log_level="warning",
            access_log=False, lifespan="off", **server_options()))
        self._thread = threading.Thread(target=self._server.run, daemon=True,
                                        name=f"service:{self.port}")

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def mount(self, app: Any) -> None:
        self._mount.app = app

    def __enter__(self) -> ServiceHost:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the in-process service did not start within 10 s")
            time.sleep(0.01)
        return self

    def __exit__(self, *_: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)


@contextmanager
def mounted_service(host: ServiceHost, home: Path, database_url: str, master_key: bytes,
                    endpoints: ProviderEndpoints, clock: Callable[[], datetime], *,
                    assistant_url: str | None = None) -> Iterator[str]:
    """A fresh service app on ``host`` for the ``with`` block; yields its base URL. The
    face check sends the phone back to this host's own face-done page; the pages call the
    certificate helper at ``assistant_url``."""
    settings = Settings(home=home, database_url=database_url,
                        unlock_master_key_hex=master_key.hex(), providers=endpoints,
                        public_url=host.base_url,
                        assistant_url=assistant_url or Settings.assistant_url)
    app = create_app(settings, ProviderClients.from_endpoints(endpoints), clock)
    host.mount(app)
    try:
        yield host.base_url
    finally:
        host.mount(None)
        app.state.ctx.db.dispose()
