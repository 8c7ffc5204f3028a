"""Safe page defaults in one place (warehouse's model): security headers with a strict
Content-Security-Policy on every response, and CSRF checked on every unsafe method of
every page route.

The API (``/api``) authenticates with bearer tokens only, never with the page cookie, so
a cross-site form cannot act through it; every other unsafe request must carry the
CSRF token (form field ``csrf_token`` or header ``X-CSRF-Token``) equal to the
``szca_csrf`` cookie, and an ``Origin`` header, when the browser sends one, must be this
site. A route cannot forget: the check is a middleware, not a per-route dependency.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSRF_COOKIE = "szca_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_FORM_BYTES = 64 * 1024  # the portal's forms are a few hundred bytes
# Routes that need no CSRF token, each with its reason. The API: bearer tokens only.
CSRF_EXEMPT_PREFIXES: tuple[str, ...] = ("/api/",)
# FastAPI's developer consoles load Swagger UI / ReDoc with an inline bootstrap script;
# they are the API's documentation, not part of the portal, and hold no session.
CSP_EXEMPT_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})


def content_security_policy(connect_extra: str = "") -> str:
    """No inline script or style, nothing from elsewhere; the page may call the local
    certificate helper (``connect_extra``) and nothing else."""
    connect = "'self'" + (f" {connect_extra}" if connect_extra else "")
    return ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"connect-src {connect}; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'")


def security_headers(csp: str) -> list[tuple[bytes, bytes]]:
    return [(k.encode(), v.encode()) for k, v in (
        ("Content-Security-Policy", csp),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
    )]


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def request_cookie(scope: Scope, name: str) -> str | None:
    raw = _header(scope, b"cookie")
    if not raw:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # a malformed Cookie header is the client's problem: no cookie
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


def _same_origin(scope: Scope, origin: str) -> bool:
    host = _header(scope, b"host")
    parts = urlsplit(origin)
    return bool(host) and parts.netloc == host and parts.scheme in ("http", "https")


class SecurityMiddleware:
    """Adds the security headers to every answer and refuses unsafe page requests without
    a valid CSRF token (403, in Chinese, nothing done)."""

    def __init__(self, app: ASGIApp, *, csp: str,
                 refuse: Callable[[Scope, str], Awaitable[Any]]) -> None:
        self.app = app
        self.csp_headers = security_headers(csp)
        self.plain_headers = [h for h in self.csp_headers
                              if h[0] != b"Content-Security-Policy"]
        self.refuse = refuse  # builds the refusal response (the pages' error renderer)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        headers = self.plain_headers if path in CSP_EXEMPT_PATHS else self.csp_headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # A route that sets one of these headers itself (with its reason: e.g. the
                # console's PDFs, framed by the console's own page) keeps its own value.
                own = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *(h for h in headers if h[0].lower() not in own)]
            await send(message)

        if scope["method"] in UNSAFE_METHODS and not path.startswith(CSRF_EXEMPT_PREFIXES):
            refusal, receive = await self._check_csrf(scope, receive)
            if refusal is not None:
                response = await self.refuse(scope, refusal)
                await response(scope, receive, send_with_headers)
                return
        await self.app(scope, receive, send_with_headers)

    async def _check_csrf(self, scope: Scope, receive: Receive) -> tuple[str | None, Receive]:
        origin = _header(scope, b"origin")
        if origin and origin != "null" and not _same_origin(scope, origin):
            return "请求来源不正确，请从网上营业厅页面操作", receive
        cookie = request_cookie(scope, CSRF_COOKIE)
        sent = _header(scope, CSRF_HEADER.encode())
        replay = receive
        if sent is None and (_header(scope, b"content-type") or "").startswith(
                "application/x-www-form-urlencoded"):
            body, replay = await _buffer_body(receive)
            if body is None:
                return "提交的内容过大", replay
            sent = (parse_qs(body.decode("utf-8", "replace")).get(CSRF_FIELD) or [""])[0]
        if not cookie or not sent or not hmac.compare_digest(cookie.encode(), sent.encode()):
            return "页面已过期或请求无效，请刷新网页后重新操作", replay
        return None, replay


async def _buffer_body(receive: Receive) -> tuple[bytes | None, Receive]:
    """Read the whole (small) form body, and a ``receive`` that hands it on unchanged."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            return None, receive
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay
