"""Working days and the manual-review deadline, on the State Council's real 2024-2026 schedules."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from szca_unlock.domain.errors import DomainError
from szca_unlock.domain.workdays import (
    CHINA_TZ,
    CalendarUnavailable,
    add_working_days,
    is_working_day,
    review_deadline,
)


@pytest.mark.parametrize(
    ("submitted", "deadline", "why"),
    [
        ("2024-05-15", "2024-05-20", "ordinary Wednesday: Thu, Fri, Mon"),
        ("2024-06-05", "2024-06-11", "Wednesday: Thu, Fri, then 端午 Monday 06-10 is skipped"),
        ("2024-06-07", "2024-06-13", "Friday: 端午 Monday 06-10 is a holiday"),
        ("2024-02-03", "2024-02-06", "Saturday before the 春节 make-up Sunday 02-04"),
        ("2024-02-09", "2024-02-20", "Friday before 春节 02-10..17; make-up Sunday 02-18 is day 1"),
        ("2024-09-27", "2024-10-08", "Friday: make-up Sunday 09-29, Monday 09-30, then 国庆"),
        ("2024-10-11", "2024-10-15", "Friday before the make-up Saturday 10-12"),
        ("2025-01-24", "2025-02-05", "春节 2025: make-up Sunday 01-26, Monday 01-27, holiday"),
        ("2025-09-26", "2025-09-30", "Friday: make-up Sunday 09-28 counts"),
        ("2025-10-10", "2025-10-14", "Friday before the make-up Saturday 10-11"),
        ("2026-02-13", "2026-02-25", "春节 2026: make-up Saturday 02-14, holiday to 02-23"),
        ("2026-02-27", "2026-03-03", "Friday before the make-up Saturday 02-28"),
        ("2026-09-30", "2026-10-10", "国庆 2026: 10-08, 10-09, make-up Saturday 10-10"),
        ("2026-10-09", "2026-10-13", "Friday before the make-up Saturday 10-10"),
    ],
)
def test_review_deadline_is_the_end_of_the_third_working_day(submitted, deadline, why):
    submitted_at = datetime.combine(date.fromisoformat(submitted), time(10, 0))
    expected = datetime.combine(date.fromisoformat(deadline), time.max)
    assert review_deadline(submitted_at) == expected, why


def test_the_submission_day_never_counts_whatever_the_hour():
    morning = review_deadline(datetime(2024, 5, 15, 0, 1))
    evening = review_deadline(datetime(2024, 5, 15, 23, 59))
    assert morning == evening == datetime(2024, 5, 20, 23, 59, 59, 999999)


def test_aware_times_are_read_in_beijing_time():
    # 17:00 UTC on Thursday is 01:00 on Friday in Beijing: the Friday rule applies.
    submitted = datetime(2024, 9, 26, 17, 0, tzinfo=UTC)
    deadline = review_deadline(submitted)
    assert deadline == datetime.combine(date(2024, 10, 8), time.max, tzinfo=CHINA_TZ)
    assert deadline.utcoffset() == timedelta(hours=8)


def test_add_working_days_counts_from_the_next_working_day():
    assert add_working_days(date(2024, 9, 30), 1) == date(2024, 10, 8)
    assert add_working_days(datetime(2024, 9, 30, 8, 0), 0) == date(2024, 9, 30)
    # 01-26, 01-27, 02-05, 02-06, 02-07, 02-08 (make-up Saturday), 02-10, 02-11, 02-12, 02-13
    assert add_working_days(date(2025, 1, 24), 10) == date(2025, 2, 13)
    with pytest.raises(ValueError):
        add_working_days(date(2024, 9, 30), -1)


def test_make_up_weekend_days_are_working_days_and_holidays_are_not():
    assert is_working_day(date(2024, 10, 12))  # Saturday, 调休
    assert not is_working_day(date(2024, 10, 7))  # Monday, 国庆
    assert not is_working_day(date(2024, 6, 8))  # ordinary Saturday


@pytest.mark.parametrize(
    "submitted_at",
    [datetime(2027, 3, 1, 10, 0), datetime(2003, 3, 3, 10, 0), datetime(2026, 12, 30, 10, 0)],
)
def test_dates_outside_the_known_schedules_are_refused_clearly(submitted_at):
    # 2026-12-30: the count runs into 2027, whose schedule is not published in the data yet.
    with pytest.raises(CalendarUnavailable) as info:
        review_deadline(submitted_at)
    assert isinstance(info.value, DomainError)
    assert info.value.code == "workdays.calendar_unavailable"
    assert f"{info.value.year}年" in info.value.message
    assert info.value.year in (2027, 2003)
