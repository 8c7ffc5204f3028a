"""Which address per-address limits count: the peer, or the client a trusted proxy names;
and idle limiter keys do not stay in memory."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from starlette.requests import Request

from szca_unlock.config import ConfigError, Settings
from szca_unlock.domain.rate_limit import Limit, SlidingWindowLimiter
from szca_unlock.keepalive import server_options
from szca_unlock.service.client_address import resolve_client_address


def _request(peer: str, *forwarded: str) -> Request:
    headers = [(b"x-forwarded-for", f.encode()) for f in forwarded]
    return Request({"type": "http", "client": (peer, 50000), "headers": headers})


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert resolve_client_address(_request("127.0.0.1", "203.0.113.9"), ()) == "127.0.0.1"


def test_a_trusted_proxy_names_the_client() -> None:
    proxies = ("10.0.0.0/8",)
    # The rightmost address that is not a trusted proxy; what the client itself prepended
    # (a forged first hop) is never reached.
    request = _request("10.0.0.2", "198.51.100.1, 203.0.113.9, 10.0.0.3")
    assert resolve_client_address(request, proxies) == "203.0.113.9"
    assert resolve_client_address(_request("192.0.2.1", "203.0.113.9"), proxies) == "192.0.2.1"
    assert resolve_client_address(_request("10.0.0.2"), proxies) == "10.0.0.2"


def test_trusted_proxies_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SZCA_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.1")
    assert Settings.from_env().trusted_proxies == ("10.0.0.0/8", "192.0.2.1")
    monkeypatch.setenv("SZCA_TRUSTED_PROXIES", "proxy.example")
    with pytest.raises(ConfigError, match="SZCA_TRUSTED_PROXIES"):
        Settings.from_env()
    monkeypatch.delenv("SZCA_TRUSTED_PROXIES")
    assert Settings.from_env().trusted_proxies == ()


def test_uvicorn_does_not_rewrite_the_client_address() -> None:
    assert server_options()["proxy_headers"] is False


def test_idle_limiter_keys_are_evicted() -> None:
    now = [datetime(2026, 1, 1)]
    limiter = SlidingWindowLimiter(lambda: now[0])
    limit = Limit("sms", 20, timedelta(hours=1))
    for i in range(5000):
        limiter.hit(limit, f"10.{i // 250}.{i % 250}.1")
    assert len(limiter) == 5000
    now[0] += timedelta(hours=1, minutes=1)
    limiter.hit(limit, "192.0.2.1")
    assert len(limiter) == 1
