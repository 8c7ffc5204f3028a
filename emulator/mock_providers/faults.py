"""Fault injection per provider/action: latency, 5xx, connection reset, timeout, malformed body."""

from __future__ import annotations

import itertools
import random
import threading
from dataclasses import dataclass, field
from enum import StrEnum


class FaultKind(StrEnum):
    LATENCY = "latency"
    HTTP_5XX = "http_5xx"
    CONNECTION_RESET = "connection_reset"
    TIMEOUT = "timeout"
    MALFORMED = "malformed"


DEFAULT_LATENCY_MS = {FaultKind.LATENCY: 500, FaultKind.TIMEOUT: 30_000}


class FaultSpecError(ValueError):
    """A fault request is contradictory (both count and rate, rate out of range ...)."""


@dataclass
class Fault:
    """One injected fault: for ``count`` more calls, or each call with probability ``rate``."""

    fault_id: int
    provider: str
    action: str | None
    kind: FaultKind
    count: int | None
    rate: float | None
    latency_ms: int
    mobile: str | None = None  # only calls about this mobile (one test's user among many)
    hits: int = 0
    _rng: random.Random = field(default_factory=random.Random, repr=False)

    def matches(self, provider: str | None, action: str | None,
                mobile: str | None = None) -> bool:
        return (provider == self.provider and self.action in (None, "*", action)
                and self.mobile in (None, mobile))

    def as_dict(self) -> dict[str, object]:
        return {"fault_id": self.fault_id, "provider": self.provider, "action": self.action,
                "kind": self.kind.value, "count": self.count, "rate": self.rate,
                "latency_ms": self.latency_ms, "mobile": self.mobile, "hits": self.hits}


class FaultRegistry:
    """Active faults, checked in the order they were added; exhausted ones are dropped."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.generation = 0  # bumped by reset so held (timeout) requests let go

    def add(self, provider: str, kind: str, *, action: str | None = None, count: int | None = None,
            rate: float | None = None, latency_ms: int | None = None,
            seed: int | None = None, mobile: str | None = None) -> Fault:
        fault_kind = FaultKind(kind)
        if count is not None and rate is not None:
            raise FaultSpecError("give either count or rate, not both")
        if rate is not None and not 0.0 <= rate <= 1.0:
            raise FaultSpecError(f"rate must be within 0..1, got {rate}")
        if count is not None and count < 1:
            raise FaultSpecError(f"count must be at least 1, got {count}")
        if rate is None and count is None:
            count = 1
        if latency_ms is None:
            latency_ms = DEFAULT_LATENCY_MS.get(fault_kind, 0)
        fault = Fault(next(self._ids), provider, action, fault_kind, count, rate, latency_ms,
                      mobile, _rng=random.Random(seed))
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, provider: str | None, action: str | None,
             mobile: str | None = None) -> Fault | None:
        """The fault to apply to this call (about ``mobile``, if it names one), if any;
        consumes one from a counted fault."""
        with self._lock:
            for fault in self._faults:
                if not fault.matches(provider, action, mobile):
                    continue
                if fault.rate is not None:
                    if fault._rng.random() >= fault.rate:
                        continue
                else:
                    assert fault.count is not None
                    fault.count -= 1
                    if fault.count == 0:
                        self._faults.remove(fault)
                fault.hits += 1
                return fault
        return None

    def active(self) -> list[dict[str, object]]:
        with self._lock:
            return [f.as_dict() for f in self._faults]

    def reset(self) -> None:
        with self._lock:
            self._faults.clear()
            self.generation += 1
