"""The clock the service reads in tests: fixed at a chosen instant (deterministic dates and
deadlines), or real UTC time (what the BDD scenarios compare against ``date.today()``); both
can be moved on (an OTP "5 minutes later") and a fixed one set to another day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from szca_unlock.service.context import utc_now

# The integration suites' "now": a Thursday, so working-day deadlines are predictable.
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


class TestClock:
    """``TestClock(NOW)`` stands still until advanced; ``TestClock()`` follows real time."""

    __test__ = False  # not a test class, whatever pytest thinks of the name

    def __init__(self, start: datetime | None = None) -> None:
        self.start = start
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return (self.start or utc_now()) + self.offset

    @property
    def now(self) -> datetime:
        return self()

    @now.setter
    def now(self, instant: datetime) -> None:
        """Stand still at ``instant`` (a test that needs a given weekday or year)."""
        self.start, self.offset = instant, timedelta()

    def advance(self, delta: timedelta | None = None, **parts: float) -> None:
        """``advance(timedelta(minutes=5))`` or ``advance(minutes=5)``."""
        self.offset += (delta or timedelta()) + timedelta(**parts)
