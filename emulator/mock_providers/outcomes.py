"""Forced outcomes: ``POST /_control/next-outcome`` queues one for the next matching call."""

from __future__ import annotations

import threading
from collections import defaultdict, deque


class UnknownOutcome(ValueError):
    """The provider/action/outcome triple is not one the mock knows; lists the valid ones."""


class NextOutcomes:
    """FIFO queues of forced outcomes per (provider, action); each is consumed by one call."""

    def __init__(self, catalogue: dict[tuple[str, str], frozenset[str]]) -> None:
        self._catalogue = catalogue
        self._queues: dict[tuple[str, str], deque[str]] = defaultdict(deque)
        self._lock = threading.Lock()

    def valid(self, provider: str, action: str) -> frozenset[str]:
        return self._catalogue.get((provider, action), frozenset())

    def push(self, provider: str, action: str, outcome: str) -> None:
        choices = self.valid(provider, action)
        if not choices:
            known = sorted(f"{p}/{a}" for p, a in self._catalogue)
            raise UnknownOutcome(f"no forced outcomes for {provider}/{action}; known: {known}")
        if outcome not in choices:
            raise UnknownOutcome(
                f"{provider}/{action} outcome {outcome!r} not in {sorted(choices)}")
        with self._lock:
            self._queues[(provider, action)].append(outcome)

    def take(self, provider: str, action: str) -> str | None:
        with self._lock:
            queue = self._queues.get((provider, action))
            return queue.popleft() if queue else None

    def pending(self) -> dict[str, list[str]]:
        with self._lock:
            return {f"{p}/{a}": list(q) for (p, a), q in self._queues.items() if q}

    def reset(self) -> None:
        with self._lock:
            self._queues.clear()
