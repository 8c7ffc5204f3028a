"""Account leasing: no account twice at once, rests after use, hourly cap, failed ones retire."""

from __future__ import annotations

import pytest

from load.pool import AccountPool, PoolExhausted


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_an_account_is_never_leased_twice_at_once() -> None:
    clock = FakeClock()
    pool = AccountPool(["a", "b"], clock=clock)
    first, second = pool.try_lease(), pool.try_lease()
    assert first is not None and second is not None
    assert {first.item, second.item} == {"a", "b"}
    assert pool.try_lease() is None


def test_a_returned_account_rests_for_the_cooldown() -> None:
    clock = FakeClock()
    pool = AccountPool(["a"], cooldown_s=61, clock=clock)
    lease = pool.try_lease()
    assert lease is not None
    pool.release(lease, ok=True)
    clock.now += 60
    assert pool.try_lease() is None
    clock.now += 1.5
    again = pool.try_lease()
    assert again is not None and again.item == "a"


def test_hourly_cap_keeps_an_account_out_until_its_oldest_use_is_an_hour_old() -> None:
    clock = FakeClock()
    pool = AccountPool(["a", "b"], cooldown_s=0, per_hour=2, clock=clock)
    used = []
    for _ in range(4):
        lease = pool.try_lease()
        assert lease is not None
        used.append(lease.item)
        pool.release(lease, ok=True)
        clock.now += 1
    assert sorted(used) == ["a", "a", "b", "b"]
    assert pool.try_lease() is None  # both at their cap
    clock.now = 1000.0 + 3600
    lease = pool.try_lease()
    assert lease is not None and lease.item == "a"


def test_an_account_whose_flow_failed_is_retired() -> None:
    clock = FakeClock()
    pool = AccountPool(["a"], cooldown_s=0, clock=clock)
    lease = pool.try_lease()
    assert lease is not None
    pool.release(lease, ok=False)
    assert pool.retired == 1 and len(pool) == 0
    with pytest.raises(PoolExhausted, match="1 retired"):
        pool.lease(clock.sleep, timeout_s=5)


def test_lease_waits_for_the_first_account_to_come_free() -> None:
    clock = FakeClock()
    pool = AccountPool(["a"], cooldown_s=10, clock=clock)
    lease = pool.try_lease()
    assert lease is not None
    pool.release(lease, ok=True)
    again = pool.lease(clock.sleep, timeout_s=30)
    assert again.item == "a" and clock.now >= 1010
