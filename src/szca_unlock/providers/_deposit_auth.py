"""HMAC request signing of the corporate micro-deposit API (docs/providers.md, "/deposit/v1").

signature = hex HMAC-SHA256(secret, METHOD\\nPATH\\ntimestamp\\nnonce\\nsha256hex(body))
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time


def signature(secret: str, method: str, path: str, timestamp: str, nonce: str,
              body: bytes) -> str:
    """The lowercase hex signature of one request (PATH without the query string)."""
    payload = "\n".join(
        (method.upper(), path, timestamp, nonce, hashlib.sha256(body).hexdigest())
    )
    return hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()


def auth_headers(key_id: str, secret: str, method: str, path: str, body: bytes,
                 *, now: float | None = None, nonce: str | None = None) -> dict[str, str]:
    """The four ``X-SZCA-*`` headers; a fresh single-use nonce unless one is given."""
    timestamp = str(int(time.time() if now is None else now))
    nonce = nonce or secrets.token_hex(16)
    return {
        "X-SZCA-Key-Id": key_id,
        "X-SZCA-Timestamp": timestamp,
        "X-SZCA-Nonce": nonce,
        "X-SZCA-Signature": signature(secret, method, path, timestamp, nonce, body),
    }
