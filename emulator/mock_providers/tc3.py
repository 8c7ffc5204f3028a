"""TC3-HMAC-SHA256 verification, recomputed exactly as the official SDKs sign.

The SDKs disagree on the ``host`` they sign: tencentcloud-sdk-python signs the endpoint as
given (``127.0.0.1:8401``), tencentcloud-sdk-nodejs signs the URL's hostname without the port.
Against Tencent's real endpoints (no port) both are the same string, so the gateway accepts the
Host header as received or without its port.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from .tencent_errors import (
    InvalidAuthorization,
    SecretIdNotFound,
    SignatureExpire,
    SignatureFailure,
)

MAX_SKEW_S = 300

_AUTH = re.compile(
    r"TC3-HMAC-SHA256 Credential=(?P<sid>[^/]+)/(?P<date>\d{4}-\d{2}-\d{2})/(?P<service>[^/,\s]+)"
    r"/tc3_request, ?SignedHeaders=(?P<signed>[a-z0-9;\-]+), ?Signature=(?P<sig>[0-9a-f]{64})"
)


@dataclass(frozen=True)
class SignedRequest:
    secret_id: str
    service: str


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def signature(secret_key: str, date: str, service: str, string_to_sign: str) -> str:
    k_date = _hmac(("TC3" + secret_key).encode(), date)
    k_signing = _hmac(_hmac(k_date, service), "tc3_request")
    return hmac.new(k_signing, string_to_sign.encode(), hashlib.sha256).hexdigest()


def host_variants(host: str) -> list[str]:
    """The Host header as received, then without its port (``[::1]:80`` -> ``[::1]``)."""
    host = host.strip()
    name, sep, port = host.rpartition(":")
    if sep and port.isdigit() and name and (not name.startswith("[") or name.endswith("]")):
        return [host, name]
    return [host]


def verify(*, method: str, path: str, query: str, headers: Mapping[str, str], body: bytes,
           credentials: Mapping[str, str], now: float) -> SignedRequest:
    """Check the Authorization header; ``headers`` keys lower-case. Raises the real AuthFailure.*"""
    match = _AUTH.fullmatch(headers.get("authorization", "").strip())
    timestamp = headers.get("x-tc-timestamp", "")
    if not match or not timestamp.isdigit():
        raise InvalidAuthorization()
    secret_key = credentials.get(match["sid"])
    if secret_key is None:
        raise SecretIdNotFound()
    if abs(now - int(timestamp)) > MAX_SKEW_S:
        raise SignatureExpire()
    if datetime.fromtimestamp(int(timestamp), UTC).strftime("%Y-%m-%d") != match["date"]:
        raise SignatureFailure()
    for host in host_variants(headers.get("host", "")):
        expected = _expected(method, path, query, {**headers, "host": host}, body, match,
                             timestamp, secret_key)
        if hmac.compare_digest(expected, match["sig"]):
            return SignedRequest(secret_id=match["sid"], service=match["service"])
    raise SignatureFailure()


def _expected(method: str, path: str, query: str, headers: Mapping[str, str], body: bytes,
              match: re.Match[str], timestamp: str, secret_key: str) -> str:
    signed = match["signed"].split(";")
    canonical_headers = "".join(f"{h}:{headers.get(h, '').strip()}\n" for h in signed)
    unsigned = headers.get("x-tc-content-sha256") == "UNSIGNED-PAYLOAD"
    payload = b"UNSIGNED-PAYLOAD" if unsigned else b"" if method == "GET" else body
    canonical = "\n".join([method, path, query if method == "GET" else "", canonical_headers,
                           match["signed"], hashlib.sha256(payload).hexdigest()])
    scope = f"{match['date']}/{match['service']}/tc3_request"
    to_sign = "\n".join(["TC3-HMAC-SHA256", timestamp, scope,
                         hashlib.sha256(canonical.encode()).hexdigest()])
    return signature(secret_key, match["date"], match["service"], to_sign)
