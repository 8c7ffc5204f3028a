"""Which provider and action a raw HTTP request is for, from its method, path and headers only
(the journal and fault injection decide before the body is parsed)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .tencent_api import PROVIDER_OF_ACTION

CONTROL_PREFIXES = ("/_control", "/openapi.json", "/docs", "/redoc")
_DEPOSIT = (
    ("POST", re.compile(r"/deposit/v1/verifications/?"), "create_verification"),
    ("GET", re.compile(r"/deposit/v1/verifications/[^/]+/?"), "get_verification"),
    ("POST", re.compile(r"/deposit/v1/verifications/[^/]+/confirm/?"), "confirm_verification"),
)


@dataclass(frozen=True)
class Route:
    provider: str | None
    action: str | None
    control: bool = False


def classify(method: str, path: str, headers: Mapping[str, str]) -> Route:
    if path.startswith(CONTROL_PREFIXES):
        return Route(None, None, control=True)
    if path == "/" and method == "POST":
        action = headers.get("x-tc-action") or None
        return Route(PROVIDER_OF_ACTION.get(action or ""), action)
    for verb, pattern, action in _DEPOSIT:
        if method == verb and pattern.fullmatch(path):
            return Route("deposit", action)
    return Route(None, None)
