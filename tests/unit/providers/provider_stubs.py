"""Stubs for the providers' HTTP APIs, built on ``responses`` (it intercepts ``requests``,
which both the official Tencent SDKs and our deposit client use)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
import responses
from responses import matchers

from szca_unlock.providers.errors import FaultKind

TENCENT_URL = "http://tencent.test:8401/"
DEPOSIT_BASE = "http://deposit.test:8401/deposit"


def _action(action: str) -> list[Any]:
    return [matchers.header_matcher({"X-TC-Action": action})]


def tencent_ok(rsps: responses.RequestsMock, action: str, **fields: Any) -> None:
    """Tencent answers ``action`` with ``{"Response": {**fields, "RequestId"}}``."""
    rsps.post(TENCENT_URL, json={"Response": {**fields, "RequestId": "req-0001"}},
              match=_action(action))


def tencent_error(rsps: responses.RequestsMock, action: str, code: str,
                  message: str = "error") -> None:
    rsps.post(
        TENCENT_URL,
        json={"Response": {"Error": {"Code": code, "Message": message}, "RequestId": "req-0002"}},
        match=_action(action),
    )


@dataclass(frozen=True)
class Fault:
    """One way an HTTP call can break, as ``responses`` stub arguments."""

    name: str
    stub: dict[str, Any]
    kind: FaultKind
    http_status: int | None


FAULTS = [
    Fault("timeout", {"body": requests.exceptions.ReadTimeout(
        "HTTPConnectionPool(host='x', port=1): Read timed out. (read timeout=1.0)")},
        FaultKind.TIMEOUT, None),
    Fault("connection_reset", {"body": requests.exceptions.ConnectionError(
        "('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))")},
        FaultKind.CONNECTION, None),
    Fault("http_5xx", {"status": 503, "body": "Service Unavailable",
                       "content_type": "text/plain"}, FaultKind.HTTP_5XX, 503),
    Fault("malformed", {"status": 200, "body": '{"Response": {"Res',
                        "content_type": "application/json"}, FaultKind.MALFORMED, 200),
]


def tencent_fault(rsps: responses.RequestsMock, action: str, fault: Fault) -> None:
    rsps.post(TENCENT_URL, match=_action(action), **fault.stub)
