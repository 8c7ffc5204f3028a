"""Which provider and action a raw HTTP request is for, from its method, path and headers only
(the journal and fault injection decide before the body is parsed)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .tencent_api import PROVIDER_OF_ACTION
from .tencent_request import peek_action

# The tester's own pages (/pages: SMS inbox, face H5, bank statement) are not provider
# traffic either: never journalled, never faulted.
CONTROL_PREFIXES = ("/_control", "/pages", "/openapi.json", "/docs", "/redoc")
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


def is_control(path: str) -> bool:
    return path.startswith(CONTROL_PREFIXES)


def classify(method: str, path: str, headers: Mapping[str, str], query: str = "",
             body: bytes = b"") -> Route:
    if is_control(path):
        return Route(None, None, control=True)
    if path == "/" and method in ("GET", "POST"):
        action = peek_action(method, headers, query, body)
        return Route(PROVIDER_OF_ACTION.get(action or ""), action)
    for verb, pattern, action in _DEPOSIT:
        if method == verb and pattern.fullmatch(path):
            return Route("deposit", action)
    return Route(None, None)
