"""The mock's business clock: wall time plus an offset tests can advance (token/code expiry)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

# A business time outside datetime's range could not be written as a date (``iso_utc``): every
# later call would fail, so a jump that would leave it is refused instead.
LATEST = datetime(9999, 1, 1, tzinfo=UTC).timestamp()


class ClockRangeError(ValueError):
    pass


class Clock:
    """``now()`` is wall time plus ``offset``; signatures are still checked against wall time."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        return time.time() + self._offset

    def advance(self, seconds: float) -> float:
        with self._lock:
            after = time.time() + self._offset + seconds
            if not 0 <= after < LATEST:  # also refuses NaN
                raise ClockRangeError(f"advancing by {seconds} s would move the clock to "
                                      f"{after} (allowed: 1970-01-01 .. 9999-01-01)")
            self._offset += seconds
        return self.now()

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0


def iso_utc(timestamp: float) -> str:
    """ISO 8601 in UTC with a ``Z`` suffix, second precision."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
