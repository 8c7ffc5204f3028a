"""Read a Tencent Cloud API 3.0 call off the wire, whichever way an official SDK sent it.

Three shapes reach ``/`` (https://cloud.tencent.com/document/api/213/30654):
- TC3-HMAC-SHA256, POST ``application/json``: common parameters in ``X-TC-*`` headers;
- TC3-HMAC-SHA256, GET: common parameters in headers, action parameters in the query string,
  flattened (``PhoneNumberSet.0=...``);
- signature v1 (HmacSHA1 / HmacSHA256), GET query or POST ``x-www-form-urlencoded`` body: common
  parameters (``Action``, ``Version``, ``Signature`` ...) beside the flattened action parameters.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from .tencent_errors import InvalidParameter

V1_COMMON = frozenset({"Action", "Version", "Region", "Timestamp", "Nonce", "SecretId",
                       "Signature", "SignatureMethod", "Token", "RequestClient", "Language"})


@dataclass(frozen=True)
class TencentCall:
    protocol: str  # "tc3" | "v1"
    action: str
    version: str
    region: str
    params: dict[str, Any]
    # v1 only: every form/query pair as received, for the string to sign
    raw_pairs: list[tuple[str, str]] = field(default_factory=list)


def unflatten(pairs: Mapping[str, str]) -> dict[str, Any]:
    """``{"A.0": x, "A.1": y, "B.C": z}`` -> ``{"A": [x, y], "B": {"C": z}}`` (SDK flattening)."""
    root: dict[str, Any] = {}
    for key, value in pairs.items():
        node = root
        parts = key.split(".")
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):  # "A=1&A.0=2": the scalar wins, as JSON would clash
                break
            node = child
        else:
            node[parts[-1]] = value
    # The top level holds named parameters only (never turned into a list).
    return {name: _lists(value) for name, value in root.items()}


def _lists(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    converted = {k: _lists(v) for k, v in node.items()}
    if converted and all(k.isdigit() for k in converted):
        return [converted[k] for k in sorted(converted, key=int)]
    return converted


def _form(raw: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(raw, keep_blank_values=True, strict_parsing=False)
    except ValueError as exc:
        raise InvalidParameter("The query string is not valid form encoding.") from exc


def read_call(method: str, headers: Mapping[str, str], query: str, body: bytes) -> TencentCall:
    """The call's action, version, region and parameters; ``headers`` keys lower-case."""
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if headers.get("authorization"):
        if method == "GET":
            params: dict[str, Any] = unflatten(dict(_form(query)))
        else:
            params = _json_object(body)
        return TencentCall("tc3", headers.get("x-tc-action", ""), headers.get("x-tc-version", ""),
                           headers.get("x-tc-region", ""), params)
    if method == "POST" and content_type == "application/json":
        # JSON without an Authorization header: a TC3 call that forgot to sign.
        return TencentCall("tc3", headers.get("x-tc-action", ""),
                           headers.get("x-tc-version", ""), headers.get("x-tc-region", ""),
                           _json_object(body))
    raw = query if method == "GET" else body.decode("utf-8", "replace")
    pairs = _form(raw)
    flat = dict(pairs)
    params = unflatten({k: v for k, v in flat.items() if k not in V1_COMMON})
    return TencentCall("v1", flat.get("Action", ""), flat.get("Version", ""),
                       flat.get("Region", ""), params, pairs)


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body or b"{}")
    except ValueError as exc:
        raise InvalidParameter("The request body is not valid JSON.") from exc
    if not isinstance(value, dict):
        raise InvalidParameter("The request body must be a JSON object.")
    return value


def peek_action(method: str, headers: Mapping[str, str], query: str, body: bytes) -> str | None:
    """The action named by a request, without raising (journal and fault routing)."""
    try:
        return read_call(method, headers, query, body).action or None
    except InvalidParameter:
        return headers.get("x-tc-action") or None


def peek_params(method: str, headers: Mapping[str, str], query: str, body: bytes) -> Any:
    try:
        return read_call(method, headers, query, body).params
    except InvalidParameter:
        return None
