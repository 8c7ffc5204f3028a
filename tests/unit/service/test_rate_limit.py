from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from szca_unlock.domain.rate_limit import Limit, RateLimited, SlidingWindowLimiter


def test_sliding_window_refuses_then_recovers() -> None:
    now = [datetime(2026, 1, 1)]
    limiter = SlidingWindowLimiter(lambda: now[0])
    limit = Limit("login", 3, timedelta(minutes=1))
    for _ in range(3):
        limiter.hit(limit, "1.2.3.4")
    with pytest.raises(RateLimited) as info:
        limiter.hit(limit, "1.2.3.4")
    assert info.value.retry_after == 60
    assert "操作过于频繁" in info.value.message
    limiter.hit(limit, "5.6.7.8")  # other keys are independent
    now[0] += timedelta(seconds=60)
    limiter.hit(limit, "1.2.3.4")
