"""Pure ASGI middleware around the protocol routes: injects faults, then journals the exchange."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import struct
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .faults import Fault, FaultKind
from .identity import normalise_mobile
from .routing import classify, is_control
from .state import ProviderState
from .tencent_request import peek_params

MALFORMED_BODY = b'{"Response": {"RequestId": "'  # cut off mid-string on purpose
_HOLD_STEP_S = 0.05


MAX_JOURNAL_STRING = 2000  # pictures and videos (base64, 50-300 KB) are summarised


def _decode(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return _compact(json.loads(raw))
    except ValueError:
        return raw[:MAX_JOURNAL_STRING].decode("utf-8", "replace")


def _compact(value: Any) -> Any:
    """The journal keeps 10 000 exchanges: long strings (base64 media) are replaced by a note
    of their length, so a run that fetches face pictures does not hold gigabytes."""
    if isinstance(value, str) and len(value) > MAX_JOURNAL_STRING:
        return f"<{len(value)} characters omitted>"
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_compact(v) for v in value]
    return value


def _subjects(request: Any, response: Any) -> tuple[str | None, str | None]:
    """The mobile and ID number a request is about, for journal queries (any JSON may come in:
    only strings where a client should have put them count)."""
    mobile = id_number = None
    if isinstance(request, dict):
        phones = request.get("PhoneNumberSet")
        first = phones[0] if isinstance(phones, list) and phones else request.get("Phone")
        if isinstance(first, str):
            mobile = normalise_mobile(first) or first
        id_number = _text(request.get("IdCard"))
    if id_number is None and isinstance(response, dict):
        body = response.get("Response")
        text = body.get("Text") if isinstance(body, dict) else None
        id_number = _text(text.get("IdCard")) if isinstance(text, dict) else None
    return mobile, id_number


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _abort(receive: Receive) -> bool:
    """Reset the TCP connection (RST) under uvicorn; False when there is no socket (TestClient)."""
    transport = getattr(getattr(receive, "__self__", None), "transport", None)
    if transport is None:
        return False
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    return True


class ProviderMiddleware:
    def __init__(self, app: ASGIApp, state: ProviderState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if is_control(scope["path"]):
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        query = scope.get("query_string", b"").decode("latin-1")
        route = classify(scope["method"], scope["path"], headers, query, body)
        request = _decode(body)
        if route.action and not isinstance(request, dict):  # GET or signature v1
            request = peek_params(scope["method"], headers, query, body)
        fault = self.state.faults.take(route.provider, route.action,
                                       _subjects(request, None)[0])
        status: list[int] = []
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            if fault is None or not await self._apply(fault, receive, capture):
                await self.app(scope, _replay(body, receive), capture)
        finally:
            response = _decode(b"".join(chunks))
            mobile, id_number = _subjects(request, response)
            self.state.journal.record(
                at=time.time(), provider=route.provider, action=route.action,
                method=scope["method"], path=scope["path"], status=status[0] if status else None,
                fault=fault.kind.value if fault else None, mobile=mobile, id_number=id_number,
                request=request, response=response)

    async def _apply(self, fault: Fault, receive: Receive, send: Send) -> bool:
        """Apply ``fault``; True when it replaced the answer, False when the call goes on."""
        if fault.kind is FaultKind.LATENCY:
            await asyncio.sleep(fault.latency_ms / 1000)
            return False
        if fault.kind is FaultKind.HTTP_5XX:
            await _respond(send, 503, b"Service Unavailable", b"text/plain")
        elif fault.kind is FaultKind.MALFORMED:
            await _respond(send, 200, MALFORMED_BODY, b"application/json")
        elif fault.kind is FaultKind.TIMEOUT:
            await self._hold(fault.latency_ms / 1000)
            await _drop(receive)
        else:
            await _drop(receive)
        return True

    async def _hold(self, seconds: float) -> None:
        """Sleep, but let go early when the state is reset (so servers shut down promptly)."""
        generation = self.state.faults.generation
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self.state.faults.generation == generation:
            await asyncio.sleep(_HOLD_STEP_S)


async def _drop(receive: Receive) -> None:
    if not _abort(receive):
        raise ConnectionResetError("fault injection: connection reset")
    for _ in range(3):  # let the loop deliver connection_lost before the app returns
        await asyncio.sleep(0)


async def _respond(send: Send, status: int, body: bytes, content_type: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def _read_body(receive: Receive) -> bytes:
    parts: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        parts.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(parts)


def _replay(body: bytes, receive: Receive) -> Receive:
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
