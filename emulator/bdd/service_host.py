"""The service in this process: one loopback uvicorn server per test session, a fresh app
(fresh database, fresh rate limits) mounted on it for every scenario, and a clock that the
``@clock`` scenarios can move forward."""

from __future__ import annotations

import socket
import threading
import time
from datetime import datetime, timedelta
from typing import Any

import uvicorn

from szca_unlock.service.context import utc_now


class OffsetClock:
    """Real UTC time plus an offset that only grows (an OTP "5 minutes later")."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return utc_now() + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


class _Mount:
    """ASGI app forwarding to whichever app the current scenario mounted."""

    def __init__(self) -> None:
        self.app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan" or self.app is None:
            return
        await self.app(scope, receive, send)


class ServiceHost:
    """``with ServiceHost() as host: host.mount(app)``; ``host.base_url`` for HTTP clients."""

    def __init__(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self._mount = _Mount()
        self._server = uvicorn.Server(uvicorn.Config(
            self._mount, host="127.0.0.1", port=self.port, log_level="warning",
            access_log=False, lifespan="off"))
        self._thread = threading.Thread(target=self._server.run, daemon=True,
                                        name=f"bdd-service:{self.port}")

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
