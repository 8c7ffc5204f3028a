"""An ASGI wrapper that signs micro-deposit calls (the X-SZCA-* HMAC headers) over the exact
bytes schemathesis sends, so generated requests get past the signature check and reach the
deposit handlers. A request carrying ``x-fuzz-unsigned`` is passed on unsigned (the
refusal path is fuzzed too)."""

from __future__ import annotations

from typing import Any

from emulator.mock_providers.deposit.auth import signed_headers
from emulator.mock_providers.deposit.routes import PREFIX

UNSIGNED = "x-fuzz-unsigned"


class SigningApp:
    def __init__(self, app: Any, key_id: str, secret: str) -> None:
        self.app, self.key_id, self.secret = app, key_id, secret

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        body, more = b"", True
        while more:  # the whole body first: the signature covers it
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        headers = [(k, v) for k, v in scope["headers"] if k.lower() != UNSIGNED.encode()]
        if len(headers) == len(scope["headers"]):
            signed = signed_headers(self.key_id, self.secret, scope["method"], scope["path"], body)
            headers += [(k.lower().encode(), v.encode()) for k, v in signed.items()]
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return await receive()  # then the client's disconnect
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app({**scope, "headers": headers}, replay, send)
