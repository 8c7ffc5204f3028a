"""The mock's business clock: wall time plus an offset tests can advance (token/code expiry)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime


class Clock:
    """``now()`` is wall time plus ``offset``; signatures are still checked against wall time."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        return time.time() + self._offset

    def advance(self, seconds: float) -> float:
        with self._lock:
            self._offset += seconds
        return self.now()

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0


def iso_utc(timestamp: float) -> str:
    """ISO 8601 in UTC with a ``Z`` suffix, second precision."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
