"""Signature v1 (HmacSHA1 / HmacSHA256), recomputed as the official SDKs sign it.

String to sign: ``METHOD + host + path + "?" + "&".join(sorted "k=v")`` over every parameter
but ``Signature``, values as sent (not URL-encoded); the signature is the base64 HMAC of it
with the SecretKey (https://cloud.tencent.com/document/api/1007/31325). Both SDKs put the
endpoint they were given into that string; the gateway accepts it with or without the port.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping, Sequence

from .tc3 import MAX_SKEW_S, SignedRequest, host_variants
from .tencent_errors import (
    MissingParameter,
    SecretIdNotFound,
    SignatureExpire,
    SignatureFailure,
    TencentError,
)

DIGESTS = {"HmacSHA1": hashlib.sha1, "HmacSHA256": hashlib.sha256}
REQUIRED = ("Action", "Version", "Timestamp", "Nonce", "SecretId", "Signature")


class InvalidSignatureMethod(TencentError):
    code = "InvalidParameterValue"
    message = "The value of parameter `SignatureMethod` must be HmacSHA1 or HmacSHA256."


def sign(secret_key: str, string_to_sign: str, method: str = "HmacSHA1") -> str:
    digest = hmac.new(secret_key.encode(), string_to_sign.encode(), DIGESTS[method]).digest()
    return base64.b64encode(digest).decode()


def string_to_sign(method: str, host: str, path: str, pairs: Sequence[tuple[str, str]]) -> str:
    body = "&".join(f"{k}={v}" for k, v in sorted(p for p in pairs if p[0] != "Signature"))
    return f"{method}{host}{path}?{body}"


def verify(*, method: str, path: str, host: str, pairs: Sequence[tuple[str, str]],
           credentials: Mapping[str, str], now: float) -> SignedRequest:
    params = dict(pairs)
    for name in REQUIRED:
        if not params.get(name):
            raise MissingParameter(f"The request is missing a required parameter `{name}`.")
    sig_method = params.get("SignatureMethod") or "HmacSHA1"
    if sig_method not in DIGESTS:
        raise InvalidSignatureMethod()
    secret_key = credentials.get(params["SecretId"])
    if secret_key is None:
        raise SecretIdNotFound()
    if not params["Timestamp"].isdigit() or abs(now - int(params["Timestamp"])) > MAX_SKEW_S:
        raise SignatureExpire()
    for candidate in host_variants(host):
        expected = sign(secret_key, string_to_sign(method, candidate, path, pairs), sig_method)
        if hmac.compare_digest(expected, params["Signature"]):
            return SignedRequest(secret_id=params["SecretId"], service="")
    raise SignatureFailure()
