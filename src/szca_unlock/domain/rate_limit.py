"""Request limits and the errors a blocked or stuck user sees (with CS-1 help).

``RequestLimiter`` is what the service asks. ``SlidingWindowLimiter`` is the embedded
one, in memory for one process and on the service's clock (so tests can move time);
several worker processes share ``service.shared_limits.RedisLimiter`` instead. Limits
that must survive restarts (codes per mobile per hour) are counted from the database,
see ``domain.otp.check_can_issue``.
"""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from szca_unlock.domain.errors import DomainError


class RateLimited(DomainError):
    """Too many requests: answered 429 with ``Retry-After: retry_after`` seconds."""

    status = 429

    def __init__(self, code: str, message: str, retry_after: int, *,
                 help: str | None = None) -> None:
        super().__init__(code, message, None, help=help)
        self.retry_after = max(1, int(retry_after))


def too_many_requests(wait_s: float) -> RateLimited:
    """The refusal for a limit that frees up in ``wait_s`` seconds (the same words from
    every limiter)."""
    return RateLimited("rate_limited", f"操作过于频繁，请{_wait_text(wait_s)}后再试",
                       int(-(-wait_s // 1)))


@dataclass(frozen=True)
class Limit:
    """At most ``count`` hits per ``window`` for one key."""

    name: str
    count: int
    window: timedelta


class RequestLimiter(Protocol):
    def hit(self, limit: Limit, key: str) -> None:
        """Record one request or raise ``RateLimited`` (a refused request is not counted)."""

    def reset(self) -> None:
        """Forget every hit (tests and the operator's control API)."""


class SlidingWindowLimiter:
    """Counts hits per (limit, key) over a sliding window; thread-safe.

    Keys whose newest hit is older than their window are evicted (every
    ``SWEEP_EVERY`` of clock time), so addresses seen once do not stay in memory forever.
    """

    SWEEP_EVERY = timedelta(minutes=1)

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self._hits: dict[tuple[str, str], deque[datetime]] = defaultdict(deque)
        self._windows: dict[str, timedelta] = {}
        self._next_sweep: datetime | None = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many (limit, key) pairs are tracked now."""
        with self._lock:
            return len(self._hits)

    def hit(self, limit: Limit, key: str) -> None:
        """Record one request or raise ``RateLimited`` (a refused request is not counted)."""
        now = self._clock()
        with self._lock:
            self._windows[limit.name] = limit.window
            self._sweep(now)
            hits = self._hits[(limit.name, key)]
            while hits and now - hits[0] >= limit.window:
                hits.popleft()
            if len(hits) >= limit.count:
                raise too_many_requests((hits[0] + limit.window - now).total_seconds())
            hits.append(now)

    def _sweep(self, now: datetime) -> None:
        if self._next_sweep is not None and now < self._next_sweep:
            return
        self._next_sweep = now + self.SWEEP_EVERY
        idle = [k for k, hits in self._hits.items()
                if not hits or now - hits[-1] >= self._windows.get(k[0], timedelta(0))]
        for k in idle:
            del self._hits[k]

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()


def _wait_text(seconds: float) -> str:
    if seconds <= 90:
        return f"{max(1, int(-(-seconds // 1)))}秒"
    return f"{int(-(-seconds // 60))}分钟"
