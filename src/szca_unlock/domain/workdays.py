"""Working days in mainland China and the manual-review deadline ("三个工作日内").

Uses ``chinese_calendar``: weekends, public holidays and 调休 make-up working days, as published
each year by the State Council. Its data covers a fixed range of years; outside it
``review_deadline`` refuses instead of guessing, because a wrong deadline is a broken promise.

An operator adds a year the package does not know yet from the State Council's notice in a
data file (``domain.holidays``), no code change needed. A submission must still go through
when the schedule of a year is not published at all: ``review_deadline_or_estimate`` then
counts Monday to Friday minus the statutory holidays (lunar dates computed) for the unknown
days and marks the result as an estimate (估算), which the service shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import chinese_calendar

from szca_unlock.domain.errors import DomainError
from szca_unlock.domain.holidays import estimated_working_day, operator_schedule

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")  # no DST since 1991
REVIEW_WORKING_DAYS = 3


class CalendarUnavailable(DomainError):
    """The holiday schedule of ``year`` is not known to the installed chinese_calendar."""

    def __init__(self, year: int) -> None:
        super().__init__(
            "workdays.calendar_unavailable",
            f"暂无{year}年的法定节假日安排，无法计算工作日，请稍后再试或联系深圳CA客服",
        )
        self.year = year


def is_working_day(day: date) -> bool:
    """From the operator's holiday file for the years it lists, else ``chinese_calendar``."""
    listed = operator_schedule().get(day.year)
    if listed is not None:
        return listed.is_working_day(day)
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        raise CalendarUnavailable(day.year) from None


def _local_date(moment: datetime | date) -> date:
    """The Beijing calendar date of ``moment``; naive datetimes are taken as Beijing time."""
    if isinstance(moment, datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(CHINA_TZ)
        return moment.date()
    return moment


def add_working_days(start: datetime | date, n: int) -> date:
    """The ``n``-th working day after the day of ``start``; the next working day is day 1.

    The day of ``start`` itself never counts, whatever the hour, so ``n = 0`` is that day.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    day = _local_date(start)
    remaining = n
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def review_deadline(submitted_at: datetime) -> datetime:
    """The last instant of the 3rd working day after submission (PER-MR-7, ORG-MR-9).

    Aware input gives an aware result in Beijing time; naive input is Beijing time and gives a
    naive result.
    """
    last_day = add_working_days(submitted_at, REVIEW_WORKING_DAYS)
    tz = CHINA_TZ if submitted_at.tzinfo is not None else None
    return datetime.combine(last_day, time.max, tzinfo=tz)


@dataclass(frozen=True)
class ReviewDeadline:
    """When the review is due; ``estimated`` when a day outside the holiday data was counted
    as a plain Monday-to-Friday working day."""

    due: datetime
    estimated: bool


def review_deadline_or_estimate(submitted_at: datetime) -> ReviewDeadline:
    """``review_deadline``, or, where the holiday schedule is unknown, the same count with
    Monday to Friday as working days for the unknown dates (known dates still use it)."""
    try:
        return ReviewDeadline(review_deadline(submitted_at), estimated=False)
    except CalendarUnavailable:
        pass
    day = _local_date(submitted_at)
    remaining = REVIEW_WORKING_DAYS
    while remaining:
        day += timedelta(days=1)
        try:
            working = is_working_day(day)
        except CalendarUnavailable:
            working = estimated_working_day(day)
        remaining -= working
    tz = CHINA_TZ if submitted_at.tzinfo is not None else None
    return ReviewDeadline(datetime.combine(day, time.max, tzinfo=tz), estimated=True)
