"""Years beyond the calendar package (issue #16, item 9): the operator's holiday data file,
and the estimate from the statutory holidays (lunar dates computed), still marked 估算."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from szca_unlock.config import ConfigError
from szca_unlock.domain.holidays import operator_schedule, statutory_holidays
from szca_unlock.domain.workdays import CHINA_TZ, review_deadline_or_estimate


@pytest.fixture(autouse=True)
def no_operator_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "holidays.json"
    monkeypatch.setenv("SZCA_HOLIDAYS_FILE", str(path))
    return path


def _due(submitted: str) -> tuple[date, bool]:
    result = review_deadline_or_estimate(datetime.fromisoformat(submitted).replace(
        tzinfo=CHINA_TZ))
    return result.due.date(), result.estimated


def test_new_years_day_of_an_unknown_year_is_not_a_working_day() -> None:
    # Tuesday 2030-12-31: Thursday, Friday, Monday, not Wednesday 元旦.
    assert _due("2030-12-31 10:00") == (date(2031, 1, 6), True)


def test_the_spring_festival_of_an_unknown_year_comes_from_the_lunar_calendar() -> None:
    # 2031: 春节 is Thursday 01-23, so 除夕 to 初三 = 01-22 … 01-25 are off.
    assert {date(2031, 1, d) for d in (22, 23, 24, 25)} <= statutory_holidays(2031)
    # Submitted Tuesday 01-21: Wednesday 除夕 to Saturday off, then Mon 27, Tue 28, Wed 29.
    assert _due("2031-01-21 09:00") == (date(2031, 1, 29), True)


def test_the_other_statutory_days_are_there() -> None:
    days = statutory_holidays(2028)
    assert date(2028, 4, 4) in days  # 清明
    assert {date(2028, 5, 1), date(2028, 5, 2)} <= days
    assert {date(2028, 10, 1), date(2028, 10, 2), date(2028, 10, 3)} <= days
    assert date(2028, 5, 28) in days  # 端午: lunar 05-05
    assert date(2028, 10, 3) in days  # 中秋 2028 falls on 10-03, inside 国庆


def test_an_operator_file_makes_a_year_exact(no_operator_file: Path) -> None:
    # The State Council's notice for 2031 (made up here): 元旦 Wed 01-01 to Fri 01-03 off,
    # Sunday 01-05 worked instead.
    no_operator_file.write_text(json.dumps({"2031": {
        "holidays": ["2031-01-01", "2031-01-02", "2031-01-03"],
        "workdays": ["2031-01-05"]}}))
    # Only 2031 days are counted: exact now. Sun 05 (调休), Mon 06, Tue 07.
    assert _due("2030-12-31 10:00") == (date(2031, 1, 7), False)
    assert _due("2031-01-01 10:00") == (date(2031, 1, 7), False)


def test_a_broken_operator_file_names_the_entry(no_operator_file: Path) -> None:
    no_operator_file.write_text(json.dumps({"2031": {"holidays": ["2031-13-01"]}}))
    with pytest.raises(ConfigError, match=r"2031\.holidays must list dates as YYYY-MM-DD"):
        operator_schedule()
