"""The review deadline never blocks a submission: beyond the holiday data it is estimated."""

from datetime import UTC, date, datetime, time

import pytest

from szca_unlock.domain.workdays import CHINA_TZ, review_deadline_or_estimate


def test_known_years_use_the_holiday_schedule_and_are_not_estimated():
    # Tuesday before 国庆 2026: 09-30, then 10-01..07 off, 10-08, 10-09.
    deadline = review_deadline_or_estimate(datetime(2026, 9, 29, 10, 0))
    assert deadline == review_deadline_or_estimate(datetime(2026, 9, 29, 23, 0))
    assert deadline.due == datetime.combine(date(2026, 10, 9), time.max)
    assert deadline.estimated is False


@pytest.mark.parametrize(("submitted", "due"), [
    (datetime(2027, 3, 1, 10, 0), date(2027, 3, 4)),  # Monday: Tue, Wed, Thu
    (datetime(2027, 3, 5, 10, 0), date(2027, 3, 10)),  # Friday: the weekend is skipped
    (datetime(2027, 3, 6, 10, 0), date(2027, 3, 10)),  # Saturday: Mon, Tue, Wed
])
def test_unknown_years_count_monday_to_friday_and_say_so(submitted, due):
    deadline = review_deadline_or_estimate(submitted)
    assert deadline.due == datetime.combine(due, time.max)
    assert deadline.estimated is True


def test_a_count_running_into_an_unknown_year_keeps_the_known_days():
    # 2026-12-30 (Wed): 12-31 is a known working day; 2027-01-01 (Fri) is 元旦 (a statutory
    # holiday, not a working day), then 01-04 (Mon) and 01-05 (Tue) are guessed.
    deadline = review_deadline_or_estimate(datetime(2026, 12, 30, 2, 0, tzinfo=UTC))
    assert deadline.due == datetime.combine(date(2027, 1, 5), time.max, tzinfo=CHINA_TZ)
    assert deadline.estimated is True
