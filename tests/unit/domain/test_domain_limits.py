"""Limits, rounding and data rules that mutation testing (docs/testing.md) showed untested:
each test fails if an operator, constant or default of the rule changes."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from szca_unlock.config import ConfigError
from szca_unlock.domain import otp
from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.domain.errors import ValidationError
from szca_unlock.domain.holidays import (
    operator_schedule,
    parse_schedule,
    schedule_file,
    statutory_holidays,
)
from szca_unlock.domain.orders import (
    IllegalTransition,
    OrderEvent,
    OrderMode,
    OrderState,
    next_state,
    personal_manual_progress,
    realtime_progress,
)
from szca_unlock.domain.rate_limit import Limit, SlidingWindowLimiter
from szca_unlock.domain.uploads import UploadKind, check_filename, sniff_kind
from szca_unlock.domain.validators import (
    mask_person_name,
    mask_uscc,
    org_code_check_char,
    resident_id_check_char,
    uscc_check_char,
    validate_email,
    validate_person_name,
)
from szca_unlock.domain.workdays import (
    CHINA_TZ,
    add_working_days,
    is_working_day,
    review_deadline_or_estimate,
)

T0 = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
PEPPER = b"pepper"


# --- one-time codes: what a refused check hands back to be stored ---------------------------
def test_a_used_expired_or_exhausted_code_is_stored_back_unchanged() -> None:
    code, record = otp.issue(PEPPER, "s", T0)
    used = otp.verify(record, PEPPER, "s", code, T0)
    assert (used.outcome, used.attempts_left) == (otp.OtpOutcome.OK, 5)
    again = otp.verify(used.record, PEPPER, "s", code, T0)
    assert (again.outcome, again.record, again.attempts_left) == (
        otp.OtpOutcome.USED, used.record, 5)
    late = otp.verify(record, PEPPER, "s", code, record.expires_at)
    assert (late.outcome, late.record, late.attempts_left) == (otp.OtpOutcome.EXPIRED, record, 5)
    worn = type(record)(record.code_hash, T0, record.expires_at, attempts=5)
    exhausted = otp.verify(worn, PEPPER, "s", code, T0)
    assert (exhausted.outcome, exhausted.record, exhausted.attempts_left) == (
        otp.OtpOutcome.EXHAUSTED, worn, 0)


# --- the request limiter: idle keys are forgotten once a minute ------------------------------
class _Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def test_idle_keys_are_forgotten_at_the_next_sweep_not_before() -> None:
    clock = _Clock()
    limiter, limit = SlidingWindowLimiter(clock), Limit("x", 5, timedelta(seconds=30))
    limiter.hit(limit, "first")  # sweeps (nothing yet), next sweep one minute later
    clock.now = T0 + timedelta(seconds=40)  # "first" is idle, but no sweep is due
    limiter.hit(limit, "second")
    assert len(limiter) == 2
    clock.now = T0 + timedelta(seconds=60)  # the sweep is due at this very instant
    limiter.hit(limit, "third")
    assert len(limiter) == 2  # "first" forgotten; "second" (20 s ago) kept
    clock.now = T0 + timedelta(seconds=120)  # "second" idle for 80 s, "third" for exactly 60
    limiter.hit(limit, "fourth")
    assert len(limiter) == 1


def test_a_key_whose_last_hit_is_exactly_one_window_old_is_forgotten() -> None:
    clock = _Clock()
    limiter, limit = SlidingWindowLimiter(clock), Limit("x", 5, timedelta(seconds=60))
    limiter.hit(limit, "old")
    clock.now = T0 + timedelta(seconds=60)
    limiter.hit(limit, "new")
    assert len(limiter) == 1


def test_a_busy_key_is_kept_by_the_sweep() -> None:
    clock = _Clock()
    limiter, limit = SlidingWindowLimiter(clock), Limit("x", 5, timedelta(seconds=90))
    limiter.hit(limit, "busy")
    clock.now = T0 + timedelta(seconds=30)
    limiter.hit(limit, "busy")
    clock.now = T0 + timedelta(seconds=100)  # 100 s after its first hit, 70 s after its last
    limiter.hit(limit, "other")
    assert len(limiter) == 2


# --- masks -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "masked"), [
    ("黄", "*"), ("黄伟", "黄*"), ("吴泽萍", "吴*萍"), ("欧阳娜娜", "欧**娜"),
    ("买买提·艾力", "买****力"), ("Li", "L*"), ("", "*"),
])
def test_person_names_keep_the_first_and_last_character(name: str, masked: str) -> None:
    assert mask_person_name(name) == masked


@pytest.mark.parametrize(("value", "masked"), [
    ("91440300MA5DC6QX9L", "**************QX9L"), ("QX9L", "QX9L"), ("X9L", "X9L"),
])
def test_credit_codes_show_their_last_four_characters_only(value: str, masked: str) -> None:
    assert mask_uscc(value) == masked


# --- holidays of years nobody has published yet ---------------------------------------------
# 清明 as printed in the almanac (from the solar term, not computed here).
@pytest.mark.parametrize("day", [
    date(2020, 4, 4), date(2021, 4, 4), date(2022, 4, 5), date(2023, 4, 5), date(2024, 4, 4),
    date(2025, 4, 4), date(2026, 4, 5), date(2027, 4, 5), date(2029, 4, 4), date(2030, 4, 5),
])
def test_qingming_falls_on_the_almanacs_day(day: date) -> None:
    statutory_holidays.cache_clear()  # computed here, not remembered from an earlier test
    april = {d for d in statutory_holidays(day.year) if d.month == 4}
    assert april == {day}


def test_an_estimate_keeps_the_time_zone_of_the_submission(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SZCA_HOLIDAYS_FILE", str(tmp_path / "none.json"))
    aware = review_deadline_or_estimate(datetime(2035, 3, 5, 10, 0, tzinfo=CHINA_TZ))
    assert aware.estimated and aware.due.tzinfo is CHINA_TZ
    assert aware.due == datetime(2035, 3, 8, 23, 59, 59, 999999, tzinfo=CHINA_TZ)
    naive = review_deadline_or_estimate(datetime(2035, 3, 5, 10, 0))
    assert naive.estimated and naive.due == datetime(2035, 3, 8, 23, 59, 59, 999999)


@pytest.mark.parametrize(("raw", "message"), [
    ([], r"^f\.json: expected an object of years, e\.g\. \{\"2027\": \{\.\.\.\}\}$"),
    ({"abcd": {}}, r"^f\.json: 'abcd' is not a year \(4 digits\)$"),
    ({"27": {}}, r"^f\.json: '27' is not a year \(4 digits\)$"),
    ({"2027": {"holidays": [], "extra": []}},
     r"^f\.json: 2027 must hold only \"holidays\" and \"workdays\"$"),
    ({"2027": ["2027-01-01"]}, r"^f\.json: 2027 must hold only \"holidays\" and \"workdays\"$"),
    ({"2027": {"workdays": ["2028-01-01"]}},
     r"^f\.json: 2027\.workdays lists a date of another year$"),
])
def test_a_wrong_holiday_file_names_the_entry_and_the_fix(raw: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_schedule(raw, "f.json")


def test_a_year_may_list_only_holidays_or_only_workdays(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "holidays.json"
    path.write_text(json.dumps({"2031": {"holidays": ["2031-01-01"]},
                                "2032": {"workdays": ["2032-01-04"]}}))
    monkeypatch.setenv("SZCA_HOLIDAYS_FILE", str(path))
    years = operator_schedule()
    assert years[2031].holidays == {date(2031, 1, 1)} and not years[2031].workdays
    assert years[2032].workdays == {date(2032, 1, 4)} and not years[2032].holidays


# --- e-mail, uploads, progress bars ----------------------------------------------------------
def test_a_numeric_label_inside_the_host_is_fine_only_the_top_level_must_not_be_a_number(
        ) -> None:
    assert validate_email("zhang.san@vip.163.com") == "zhang.san@vip.163.com"
    assert validate_email("a@Mail.Example.CN") == "a@mail.example.cn"
    for address in ("a@example.123", "a@b@example.com"):
        with pytest.raises(ValidationError):
            validate_email(address)


def test_a_bmp_is_recognised_only_with_its_whole_header() -> None:
    header = b"BM" + bytes(12) + (40).to_bytes(4, "little")
    assert sniff_kind(header) is UploadKind.BMP
    assert sniff_kind(header[:17]) is None  # the DIB header size is cut off
    assert sniff_kind(header[:16]) is None


@pytest.mark.parametrize(("state", "kind", "message"), [
    (OrderState.SUBMITTED, CertificateKind.ORG, "submitted is not a real-time state for org"),
    (OrderState.ORG_INFO_CONFIRMED, CertificateKind.NATURAL,
     "org_info_confirmed is not a real-time state for natural"),
])
def test_a_manual_review_state_has_no_real_time_progress(state: OrderState,
                                                         kind: CertificateKind,
                                                         message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        realtime_progress(state, kind)


@pytest.mark.parametrize("state", [OrderState.CANCELLED, OrderState.VERIFIED])
def test_a_real_time_or_cancelled_state_has_no_wizard_position(state: OrderState) -> None:
    with pytest.raises(ValueError, match=f"^{state.value} is not a manual-review state$"):
        personal_manual_progress(state, form_saved=True, form_printed=True)


# --- more limits: check characters, names, file names, the holiday file ----------------------
@pytest.mark.parametrize("check", [resident_id_check_char, org_code_check_char, uscc_check_char])
def test_a_check_character_of_a_body_of_the_wrong_length_is_an_error(
        check: Callable[[str], str]) -> None:
    with pytest.raises(ValueError, match="zip"):
        check("1234567")
    with pytest.raises(ValueError, match="zip"):
        check("1" * 20)


def test_names_at_their_length_limits_are_accepted() -> None:
    assert validate_person_name("黄" * 30) == "黄" * 30
    assert validate_person_name("Al") == "Al"
    assert validate_person_name("A" * 60) == "A" * 60
    for too_long in ("黄" * 31, "A" * 61):
        with pytest.raises(ValidationError):
            validate_person_name(too_long)


def test_drive_letters_are_paths_but_ordinary_short_names_are_files() -> None:
    assert check_filename("X") == "X"
    with pytest.raises(ValidationError) as refused:
        check_filename("C:")
    assert refused.value.code == "upload.filename_path"


def test_the_holiday_file_defaults_to_the_home(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SZCA_HOLIDAYS_FILE", raising=False)
    monkeypatch.setenv("SZCA_HOME", str(tmp_path))
    assert schedule_file() == tmp_path / "holidays.json"


def test_an_edited_holiday_file_is_read_again(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "holidays.json"
    monkeypatch.setenv("SZCA_HOLIDAYS_FILE", str(path))
    path.write_text(json.dumps({"2031": {"holidays": ["2031-01-01"]}}))
    assert list(operator_schedule()) == [2031]
    path.write_text(json.dumps({"2032": {"holidays": ["2032-01-01"]}}))
    os.utime(path, (1_900_000_000, 1_900_000_000))  # a later modification time
    assert list(operator_schedule()) == [2032]


def test_a_broken_holiday_file_is_named_in_the_error(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "holidays.json"
    monkeypatch.setenv("SZCA_HOLIDAYS_FILE", str(path))
    path.write_text("{not json")
    with pytest.raises(ConfigError, match=rf"^{re.escape(str(path))}: not valid JSON \("):
        operator_schedule()
    path.write_text(json.dumps({"20x1": {}}))
    os.utime(path, (1_900_000_100, 1_900_000_100))
    with pytest.raises(ConfigError, match=rf"^{re.escape(str(path))}: '20x1' is not a year"):
        operator_schedule()


def test_working_days_are_counted_forward_only() -> None:
    with pytest.raises(ValueError, match=r"^n must be >= 0$"):
        add_working_days(date(2026, 12, 3), -1)
    assert add_working_days(date(2026, 12, 3), 1) == date(2026, 12, 4)  # a Friday
    assert is_working_day(date(2026, 12, 4)) and not is_working_day(date(2026, 12, 5))


def test_a_manual_order_cannot_take_the_real_time_completion() -> None:
    with pytest.raises(IllegalTransition) as refused:
        next_state(OrderState.DRAFT, OrderEvent.COMPLETE_UNLOCK, mode=OrderMode.MANUAL,
                   kind=CertificateKind.NATURAL)
    assert refused.value.message.endswith("不能执行「完成解锁」")
    assert "人工审核" not in refused.value.message  # a later state of this order may complete
