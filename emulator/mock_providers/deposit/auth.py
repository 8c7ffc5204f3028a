"""HMAC request signing for the micro-deposit API (see docs/providers.md)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Mapping

from .errors import SignatureInvalid

MAX_SKEW_S = 300


def sign(secret: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    """Lowercase hex HMAC-SHA256 over METHOD\\nPATH\\ntimestamp\\nnonce\\nsha256hex(body)."""
    message = "\n".join([method.upper(), path, timestamp, nonce, hashlib.sha256(body).hexdigest()])
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


class NonceCache:
    """Nonces seen within the skew window; a replayed request is refused."""

    def __init__(self) -> None:
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def use(self, nonce: str, now: float) -> bool:
        with self._lock:
            for old, at in list(self._seen.items()):
                if now - at > 2 * MAX_SKEW_S:
                    del self._seen[old]
            if nonce in self._seen:
                return False
            self._seen[nonce] = now
            return True

    def reset(self) -> None:
        with self._lock:
            self._seen.clear()


def verify(*, method: str, path: str, headers: Mapping[str, str], body: bytes,
           keys: Mapping[str, str], nonces: NonceCache, now: float) -> str:
    """Return the key id, or raise SIGNATURE_INVALID naming what was wrong."""
    key_id = headers.get("x-szca-key-id", "")
    timestamp = headers.get("x-szca-timestamp", "")
    nonce = headers.get("x-szca-nonce", "")
    given = headers.get("x-szca-signature", "")
    if not (key_id and timestamp and nonce and given):
        raise SignatureInvalid("缺少签名请求头")
    secret = keys.get(key_id)
    if secret is None:
        raise SignatureInvalid("未知的密钥标识")
    if not timestamp.isdigit() or abs(now - int(timestamp)) > MAX_SKEW_S:
        raise SignatureInvalid("请求时间戳超出允许范围")
    if not 8 <= len(nonce) <= 64:
        raise SignatureInvalid("随机数长度应为8至64个字符")
    if not hmac.compare_digest(sign(secret, method, path, timestamp, nonce, body), given.lower()):
        raise SignatureInvalid()
    if not nonces.use(nonce, now):
        raise SignatureInvalid("随机数已被使用")
    return key_id


def signed_headers(key_id: str, secret: str, method: str, path: str, body: bytes = b"", *,
                   timestamp: int | None = None, nonce: str | None = None) -> dict[str, str]:
    """The four X-SZCA-* headers for one request (for QA scripts and the mock's own tests)."""
    ts = str(timestamp if timestamp is not None else int(time.time()))
    nonce = nonce or secrets.token_hex(16)
    return {"X-SZCA-Key-Id": key_id, "X-SZCA-Timestamp": ts, "X-SZCA-Nonce": nonce,
            "X-SZCA-Signature": sign(secret, method, path, ts, nonce, body)}
