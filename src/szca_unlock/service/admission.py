"""Admission control: when the service already has ``max_in_flight`` API requests in
progress, a new one is refused at once (503 ``service_busy``, ``Retry-After: 1``, the
usual envelope) instead of queueing for seconds behind the request thread pool. Nothing
was read or written, so the client may simply retry; the refusal costs microseconds, so
past saturation the admitted requests keep their latency and throughput stays near its
peak. ``/api/health`` is always admitted (probes must see a busy service as alive).

The limit: ``SZCA_MAX_IN_FLIGHT`` (default 80: twice the 40 request threads, so a burst
queues at most one thread-pool's worth of requests). Counted per process, in the event
loop's thread (no lock needed)."""

from __future__ import annotations

import json
import os

from starlette.types import ASGIApp, Receive, Scope, Send

from szca_unlock.api.envelope import render as render_error
from szca_unlock.domain.errors import CS_HELP
from szca_unlock.logsetup import get_logger
from szca_unlock.service.errors import BUSY_MESSAGE

log = get_logger("service.admission")
DEFAULT_MAX_IN_FLIGHT = 80
RETRY_AFTER_S = 1
_ALWAYS = frozenset({"/api/health"})


def max_in_flight_from_env() -> int:
    raw = os.environ.get("SZCA_MAX_IN_FLIGHT", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_MAX_IN_FLIGHT


class AdmissionMiddleware:
    def __init__(self, app: ASGIApp, *, max_in_flight: int | None = None) -> None:
        self.app = app
        self.max_in_flight = max_in_flight or max_in_flight_from_env()
        self.in_flight = 0
        self.refused = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith("/api/") or path in _ALWAYS:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.max_in_flight:
            self.refused += 1
            if self.refused % 100 == 1:
                log.warning("saturated: %d requests in flight, refusing (%d so far)",
                            self.in_flight, self.refused)
            await _answer_503(send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1


async def _answer_503(send: Send) -> None:
    body = json.dumps(render_error("service_busy", BUSY_MESSAGE, help=CS_HELP),
                      ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": 503,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"retry-after", str(RETRY_AFTER_S).encode())]})
    await send({"type": "http.response.body", "body": body})
