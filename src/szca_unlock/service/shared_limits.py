"""Request limits shared by every worker process of one service, kept in Redis.

One process keeps its limits in memory (``domain.rate_limit.SlidingWindowLimiter``);
with ``--workers N`` each process would count only its own share of a client's
requests, so the service counts them in Redis through ``limits`` (a maintained
library: moving windows, atomic Lua scripts, keys that expire by themselves).

Redis keeps its own time, so this limiter follows the wall clock, not the service's
test clock. If Redis cannot be reached the request is refused with 503 (fail closed):
a limiter that lets everything through when its store is down is no limit.
"""

from __future__ import annotations

import time

from limits import RateLimitItemPerSecond
from limits.errors import StorageError
from limits.storage import RedisStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from szca_unlock.config import ConfigError
from szca_unlock.domain.errors import DomainError
from szca_unlock.domain.rate_limit import Limit, too_many_requests


class LimitsUnavailable(DomainError):
    """The shared limit store did not answer: nothing was done, try again shortly."""

    status = 503

    def __init__(self) -> None:
        super().__init__("service.limits_unavailable",
                         "服务暂时繁忙，请稍后重试。", None)


class RedisLimiter:
    """``RequestLimiter`` over Redis (``redis://host:port/db`` or
    ``redis+unix:///path/to/redis.sock``)."""

    def __init__(self, url: str, *, key_prefix: str = "szca-limits") -> None:
        storage = storage_from_string(url, key_prefix=key_prefix, wrap_exceptions=True)
        if not isinstance(storage, RedisStorage):
            raise ConfigError(f"SZCA_REDIS_URL must name a Redis server, got {url!r}")
        self._storage, self._url = storage, url
        self._strategy = MovingWindowRateLimiter(storage)

    def check(self) -> None:
        """At start: refuse to serve with a limit store that does not answer."""
        if not self._storage.check():
            raise ConfigError(f"SZCA_REDIS_URL: Redis at {self._url!r} does "
                              "not answer (start it with scripts/start-redis.sh)")

    def hit(self, limit: Limit, key: str) -> None:
        item = RateLimitItemPerSecond(limit.count, max(1, int(limit.window.total_seconds())))
        try:
            if self._strategy.hit(item, limit.name, key):
                return
            stats = self._strategy.get_window_stats(item, limit.name, key)
        except StorageError as exc:
            raise LimitsUnavailable() from exc
        raise too_many_requests(max(1.0, stats.reset_time - time.time()))

    def reset(self) -> None:
        try:
            self._storage.reset()
        except StorageError as exc:
            raise LimitsUnavailable() from exc
