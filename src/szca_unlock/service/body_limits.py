"""Request bodies are bounded per route before they are read (413 with the error envelope).

An ASGI middleware in front of the app: a declared ``Content-Length`` above the route's
limit is answered at once (the body is never read); a body without one (chunked) is
counted while the app reads it and cut off at the limit. Either way memory per request
stays at the limit, whatever a client sends.

JSON routes get ``JSON_LIMIT``; the document upload gets the manual's 2M plus room for the
multipart envelope (a file a little over 2M still reaches the upload check and gets its
own message, 文件大小不能超过2M).
"""

from __future__ import annotations

import json
import re

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from szca_unlock.domain.uploads import MAX_UPLOAD_BYTES

JSON_LIMIT = 16 * 1024  # the largest JSON body (the ORG-MR-5 form) is well under 2 kB
MULTIPART_ENVELOPE = 64 * 1024  # boundaries, part headers and a long file name
UPLOAD_LIMIT = MAX_UPLOAD_BYTES + MULTIPART_ENVELOPE

# (method, path pattern) -> limit; every other request: JSON_LIMIT. Patterns, not the
# router's templates: the limit must be known before routing, for any path a client sends.
ROUTE_LIMITS: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("POST", re.compile(r"/api/orders/[^/]+/documents/[^/]+"), UPLOAD_LIMIT),
    # the same upload from the manual-review page (web/pages_manual.py)
    ("POST", re.compile(r"/orders/[^/]+/manual/documents/[^/]+"), UPLOAD_LIMIT),
)

_UPLOAD_MESSAGE = "文件大小不能超过2M，请压缩或降低扫描分辨率后重新上传"


def _refusal(limit: int) -> dict[str, str]:
    """The error body: the upload's own code, message and field (as its size check
    answers a file a little over 2M), or the JSON limit in KB."""
    if limit > JSON_LIMIT:
        return {"code": "upload.too_large", "message": _UPLOAD_MESSAGE, "field": "file"}
    return {"code": "request.too_large",
            "message": f"提交的内容过大（不能超过{limit // 1024}KB），请检查后重新提交"}


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a body without a length passes its limit. An
    ``HTTPException``, so the app's error layer answers it (FastAPI re-raises those from
    body parsing; anything else would become a 400)."""

    def __init__(self, limit: int) -> None:
        self.refusal = _refusal(limit)
        super().__init__(413, self.refusal["message"], headers={"Connection": "close"})


async def _answer_413(send: Send, limit: int) -> None:
    body = json.dumps({"error": _refusal(limit)}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *,
                 limits: tuple[tuple[str, re.Pattern[str], int], ...] = ROUTE_LIMITS,
                 default: int = JSON_LIMIT) -> None:
        self.app = app
        self._limits = limits
        self._default = default

    def limit_for(self, scope: Scope) -> int:
        for method, pattern, limit in self._limits:
            if scope["method"] == method and pattern.fullmatch(scope["path"]):
                return limit
        return self._default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _answer_413(send, limit)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _answer_413(send, limit)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
