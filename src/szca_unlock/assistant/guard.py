"""Who may talk to the helper: the configured portal origin only (CORS and the ``Origin``
header), on the helper's own host name only (``Host``: a DNS-rebinding page reaches
127.0.0.1 under a name of its own and is refused)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.responses import JSONResponse, Response

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def refusal(status: int, code: str, message: str) -> Response:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


class OriginGuard:
    """Host check on every request; Origin check on every request that carries one, and on
    every unsafe one (a browser always sends it there); CORS for the portal only."""

    def __init__(self, app: ASGIApp, *, portal_origin: str, port: int) -> None:
        self.app = app
        self.portal_origin = portal_origin.rstrip("/")
        self.hosts = {f"{name}:{port}" for name in LOOPBACK_NAMES}

    def _cors(self) -> list[tuple[bytes, bytes]]:
        return [(b"access-control-allow-origin", self.portal_origin.encode()),
                (b"vary", b"Origin"),
                (b"access-control-allow-private-network", b"true")]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = (_header(scope, b"host") or "").lower()
        origin = _header(scope, b"origin")
        method = scope["method"]
        response: Response | None = None
        if host not in self.hosts:
            response = refusal(421, "assistant.bad_host",
                               "拒绝访问：请通过 127.0.0.1 访问数字证书管理工具")
        elif origin is not None and origin.rstrip("/") != self.portal_origin:
            response = refusal(403, "assistant.bad_origin",
                               "拒绝访问：数字证书管理工具只接受深圳CA网上营业厅页面的请求")
        elif origin is None and method not in ("GET", "HEAD"):
            response = refusal(403, "assistant.bad_origin",
                               "拒绝访问：请从深圳CA网上营业厅页面点击“立即解锁”")
        elif method == "OPTIONS":  # CORS preflight of the portal
            response = Response(status_code=204, headers={
                "access-control-allow-methods": "GET, POST",
                "access-control-allow-headers": "Content-Type",
                "access-control-max-age": "600"})
        if response is not None:
            if origin is not None and origin.rstrip("/") == self.portal_origin:
                response.headers.update({k.decode(): v.decode() for k, v in self._cors()})
            await response(scope, receive, send)
            return
        cors = self._cors() if origin is not None else []

        async def send_with_cors(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start" and cors:
                message["headers"] = [*message.get("headers", []), *cors]
            await send(message)

        await self.app(scope, receive, send_with_cors)
