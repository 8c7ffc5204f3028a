"""An httpx transport that reports every service call to Locust, named by flow step.

The product's own HTTP clients (``HttpUnlockServiceClient`` of the agent, and the service
API client) take an ``httpx`` transport, so Locust users drive them unchanged: this
transport times each exchange, fires Locust's ``request`` event and hands the response back.
Each virtual persona gets its own loopback source address (127.x.y.z), as real applicants
come from their own addresses and the service limits requests per address.
"""

from __future__ import annotations

import ipaddress
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from szca_unlock.api.errors import ApiError, error_from_response
from szca_unlock.keepalive import client_limits

# Path segments that follow these words are identifiers, shown as {name} in reports.
_IDENTIFIER_AFTER = {"orders": "{no}", "certificates": "{serial}", "reviews": "{id}",
                     "documents": "{id}", "uploads": "{id}"}
# Error codes the service answers 429 with on purpose (docs/api.md).
DESIGNED_429 = frozenset({"rate_limited", "otp.resend_too_soon", "otp.hourly_limit",
                          "provider.sms.rate_limited"})
_CJK = re.compile(r"[\u4e00-\u9fff]")

RequestEvent = Callable[..., Any]


def route_template(path: str) -> str:
    """``/api/orders/JS2026…/verifications/identity`` → ``/api/orders/{no}/verifications/…``."""
    parts = path.split("?", 1)[0].strip("/").split("/")
    out: list[str] = []
    for i, part in enumerate(parts):
        previous = parts[i - 1] if i else ""
        out.append(_IDENTIFIER_AFTER.get(previous, part) if previous in _IDENTIFIER_AFTER
                   else part)
    return "/" + "/".join(out)


class ServiceCallFailed(Exception):
    """A service call answered ``error``; ``designed`` marks the documented 429s (a
    documented code with a Chinese message of the service's own)."""

    def __init__(self, error: ApiError) -> None:
        self.error = error
        self.designed = (error.status == 429 and error.code in DESIGNED_429
                         and not error.message_is_default
                         and bool(_CJK.search(error.message)))
        tag = " [designed]" if self.designed else ""
        super().__init__(f"HTTP {error.status} {error.code}{tag}")


def failure_of(response: httpx.Response) -> ServiceCallFailed | None:
    if response.status_code < 400:
        return None
    return ServiceCallFailed(error_from_response(response))


class LocustTransport(httpx.BaseTransport):
    """Sends through ``httpx.HTTPTransport`` bound to ``source_address``; reports to Locust.

    ``forwarded``: the service is on another machine, where a loopback source cannot
    reach it; the persona's address then travels as ``X-Forwarded-For`` (believed by a
    service whose ``SZCA_TRUSTED_PROXIES`` names the load machines) and the connection
    leaves from the machine's own address."""

    def __init__(self, fire: RequestEvent, source_address: str = "127.0.0.1", *,
                 forwarded: bool = False) -> None:
        self._fire = fire
        self._forwarded_for = source_address if forwarded else ""
        self._inner = httpx.HTTPTransport(local_address=None if forwarded else source_address,
                                          retries=0, limits=client_limits())
        self.step = "-"

    @classmethod
    def for_service(cls, fire: RequestEvent, service_url: str,
                    source_address: str) -> LocustTransport:
        """Bound to ``source_address`` when the service is on loopback, else forwarded."""
        return cls(fire, source_address, forwarded=not is_loopback_url(service_url))

    @contextmanager
    def at_step(self, step: str) -> Iterator[None]:
        """Name the calls made inside the block after flow step ``step`` (e.g. PER-RT-5)."""
        previous, self.step = self.step, step
        try:
            yield
        finally:
            self.step = previous

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        name = f"{self.step} {route_template(request.url.path)}"
        if self._forwarded_for:
            request.headers["X-Forwarded-For"] = self._forwarded_for
        started = time.perf_counter()
        try:
            response = self._inner.handle_request(request)
            response.read()
        except httpx.HTTPError as exc:
            self._fire(request_type=request.method, name=name,
                       response_time=(time.perf_counter() - started) * 1000,
                       response_length=0, response=None, context={}, exception=exc)
            raise
        self._fire(request_type=request.method, name=name,
                   response_time=(time.perf_counter() - started) * 1000,
                   response_length=len(response.content), response=response, context={},
                   exception=failure_of(response))
        return response

    def close(self) -> None:
        self._inner.close()


def is_loopback_url(url: str) -> bool:
    """Whether ``url``'s host is a loopback address (or ``localhost``)."""
    host = httpx.URL(url).host
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: another machine


def persona_address(index: int) -> str:
    """A distinct loopback address per persona index (127.1.0.0 upwards; Linux routes all
    of 127/8 to lo, so binding needs no set-up)."""
    if not 0 <= index < 250 * 65536:
        raise ValueError(f"persona index {index} out of range")
    return f"127.{1 + index // 65536}.{index // 256 % 256}.{index % 256}"
