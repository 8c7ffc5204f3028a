"""Lease accounts to virtual users so the service's per-mobile limits are never hit by
accident: an account is used by one user at a time, rests ``cooldown_s`` after each use
(the 60 s SMS resend interval) and serves at most ``per_hour`` uses per hour (10 codes
per mobile per hour). An account whose flow failed is retired (its order may be open)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


class PoolExhausted(RuntimeError):
    """No account became free within the wait; the profile needs a bigger population."""


@dataclass
class Lease(Generic[T]):
    item: T
    home: AccountPool[T]
    uses: deque[float] = field(default_factory=deque)
    free_at: float = 0.0
    kept: bool = False  # the flow holds the account past its visit (manual review)


class AccountPool(Generic[T]):
    def __init__(self, items: Sequence[T], *, cooldown_s: float = 61.0, per_hour: int = 8,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._free: deque[Lease[T]] = deque(Lease(item, self) for item in items)
        self._capped: deque[Lease[T]] = deque()  # hit the hourly cap; ordered by free_at
        self._cooldown = cooldown_s
        self._per_hour = per_hour
        self._clock = clock
        self.retired = 0

    def __len__(self) -> int:
        return len(self._free) + len(self._capped)

    def try_lease(self) -> Lease[T] | None:
        """The longest-resting account that may be used now, or None."""
        now = self._clock()
        while self._capped and self._capped[0].free_at <= now:
            self._free.appendleft(self._capped.popleft())
        while self._free and self._free[0].free_at <= now:
            slot = self._free.popleft()
            while slot.uses and now - slot.uses[0] >= 3600:
                slot.uses.popleft()
            if len(slot.uses) < self._per_hour:
                slot.uses.append(now)
                return slot
            slot.free_at = slot.uses[0] + 3600
            self._capped.append(slot)
        # The free queue is in release order: if its head rests, everyone behind rests too.
        return None

    def lease(self, sleep: Callable[[float], None], timeout_s: float) -> Lease[T]:
        deadline = self._clock() + timeout_s
        while (slot := self.try_lease()) is None:
            if self._clock() > deadline:
                raise PoolExhausted(f"no free account within {timeout_s:.0f} s "
                                    f"({len(self)} resting, {self.retired} retired)")
            sleep(0.2)
        return slot

    def release(self, slot: Lease[T], *, ok: bool) -> None:
        if not ok:
            self.retired += 1
            return
        slot.free_at = self._clock() + self._cooldown
        self._free.append(slot)
