"""The oracle for "深圳CA将在三个工作日内进行审核": written by hand from the State Council's
published holiday notices (国务院办公厅关于2025年/2026年部分节假日安排的通知), independent
of the product's calendar library, in Beijing dates.

Days 1..3 are the working days after the Beijing date of submission; the review is due by
the end of day 3. Past the years below the service estimates (估算): Monday to Friday
without the statutory holidays. This oracle knows only the one with a fixed date in that
window, 元旦 (1 January): it covers a submission at the end of the last known year; a run
further ahead needs the next notice added here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
KNOWN_YEARS = frozenset({2025, 2026})


def _days(first: str, last: str) -> set[date]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return {start + timedelta(days=n) for n in range((end - start).days + 1)}


# 放假 (days off, weekends inside them included) and 调休上班 (weekend days worked).
DAYS_OFF: frozenset[date] = frozenset(
    # 2025
    _days("2025-01-01", "2025-01-01")  # 元旦
    | _days("2025-01-28", "2025-02-04")  # 春节
    | _days("2025-04-04", "2025-04-06")  # 清明节
    | _days("2025-05-01", "2025-05-05")  # 劳动节
    | _days("2025-05-31", "2025-06-02")  # 端午节
    | _days("2025-10-01", "2025-10-08")  # 国庆节、中秋节
    # 2026
    | _days("2026-01-01", "2026-01-03")  # 元旦
    | _days("2026-02-15", "2026-02-23")  # 春节
    | _days("2026-04-04", "2026-04-06")  # 清明节
    | _days("2026-05-01", "2026-05-05")  # 劳动节
    | _days("2026-06-19", "2026-06-21")  # 端午节
    | _days("2026-09-25", "2026-09-27")  # 中秋节
    | _days("2026-10-01", "2026-10-07")  # 国庆节
)
MAKEUP_WORKDAYS: frozenset[date] = frozenset(date.fromisoformat(d) for d in (
    "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
    "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
))


def is_working_day(day: date) -> bool:
    if day in MAKEUP_WORKDAYS:
        return True
    if day.year not in KNOWN_YEARS and (day.month, day.day) == (1, 1):
        return False  # 元旦, whatever the year
    return day.weekday() < 5 and day not in DAYS_OFF


def expected_deadline(submitted_on: date, working_days: int = 3) -> tuple[date, bool]:
    """(the Beijing date the review is due by, whether it is an estimate)."""
    day, left, estimated = submitted_on, working_days, False
    while left:
        day += timedelta(days=1)
        estimated |= day.year not in KNOWN_YEARS
        left -= is_working_day(day)
    return day, estimated


def beijing_date(instant: datetime) -> date:
    """The Beijing calendar date of an instant (a naive one is UTC, as the service stores)."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=ZoneInfo("UTC"))
    return instant.astimezone(BEIJING).date()


# Expected deadlines worked out by hand from the notices (submission in Beijing time →
# due date), the features' example table and a check on the calendar above.
HAND_TABLE: tuple[tuple[str, str], ...] = (
    ("2025-01-24 10:00", "2025-02-05"),  # Sunday 1-26 worked, then the Spring Festival
    ("2025-09-30 16:30", "2025-10-11"),  # National Day; Saturday 10-11 worked
    ("2025-12-31 09:00", "2026-01-06"),  # New Year 2026; Sunday 01-04 worked
    ("2026-02-12 12:00", "2026-02-24"),  # Saturday 02-14 worked, then the Spring Festival
    ("2026-04-02 15:00", "2026-04-08"),  # Qingming
    ("2026-04-30 11:00", "2026-05-08"),  # Labour Day
    ("2026-05-07 17:45", "2026-05-11"),  # Saturday 05-09 worked
    ("2026-06-18 08:00", "2026-06-24"),  # Dragon Boat
    ("2026-09-18 10:00", "2026-09-22"),  # Sunday 09-20 worked
    ("2026-09-29 14:00", "2026-10-09"),  # National Day
    ("2026-09-30 23:59", "2026-10-10"),  # Saturday 10-10 worked
    ("2026-11-26 23:30", "2026-12-01"),  # Thursday evening: still Thursday in Beijing
    ("2026-11-27 00:30", "2026-12-02"),  # Friday 00:30 in Beijing is Thursday 16:30 UTC
)
