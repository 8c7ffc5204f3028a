"""OTP policy: expiry, attempts, single use, resend interval, hourly cap."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from szca_unlock.domain import otp
from szca_unlock.domain.errors import DomainError
from szca_unlock.domain.rate_limit import RateLimited

PEPPER = b"p" * 32
T0 = datetime(2026, 11, 26, 9, 0, 0)


def issue(subject: str = "13800138000") -> tuple[str, otp.OtpRecord]:
    return otp.issue(PEPPER, subject, T0)


def test_code_is_six_digits_and_not_stored_in_clear() -> None:
    code, record = issue()
    assert len(code) == 6 and code.isdigit()
    assert code not in record.code_hash
    assert record.expires_at - record.created_at == timedelta(minutes=5)


def test_correct_code_passes_once_then_is_used() -> None:
    code, record = issue()
    check = otp.verify(record, PEPPER, "13800138000", code, T0 + timedelta(seconds=10))
    assert check.outcome is otp.OtpOutcome.OK
    again = otp.verify(check.record, PEPPER, "13800138000", code, T0 + timedelta(seconds=11))
    assert again.outcome is otp.OtpOutcome.USED
    with pytest.raises(DomainError, match="已使用"):
        again.raise_for_outcome()


def test_code_is_bound_to_its_subject() -> None:
    code, record = issue("13800138000")
    check = otp.verify(record, PEPPER, "13900139000", code, T0)
    assert check.outcome is otp.OtpOutcome.MISMATCH


def test_expired_code_refused() -> None:
    code, record = issue()
    check = otp.verify(record, PEPPER, "13800138000", code, T0 + timedelta(minutes=5))
    assert check.outcome is otp.OtpOutcome.EXPIRED
    with pytest.raises(DomainError, match="已过期"):
        check.raise_for_outcome()


def test_five_wrong_tries_exhaust_the_code_even_for_the_right_one() -> None:
    code, record = issue()
    wrong = "000000" if code != "000000" else "111111"
    lefts = []
    for _ in range(5):
        check = otp.verify(record, PEPPER, "13800138000", wrong, T0)
        record = check.record
        lefts.append(check.attempts_left)
    assert lefts == [4, 3, 2, 1, 0]
    assert check.outcome is otp.OtpOutcome.EXHAUSTED
    with pytest.raises(DomainError) as info:
        check.raise_for_outcome()
    assert "400-112-3838" in info.value.help  # type: ignore[attr-defined]
    final = otp.verify(record, PEPPER, "13800138000", code, T0)
    assert final.outcome is otp.OtpOutcome.EXHAUSTED


def test_mismatch_message_says_tries_left() -> None:
    _code, record = issue()
    check = otp.verify(record, PEPPER, "13800138000", "abc", T0)
    with pytest.raises(DomainError, match="还可尝试4次"):
        check.raise_for_outcome()


def test_resend_waits_sixty_seconds() -> None:
    with pytest.raises(RateLimited) as info:
        otp.check_can_issue([T0], T0 + timedelta(seconds=20))
    assert info.value.retry_after == 40
    assert "40秒" in info.value.message
    otp.check_can_issue([T0], T0 + timedelta(seconds=60))


def test_ten_codes_per_hour_then_wait() -> None:
    sent = [T0 + timedelta(minutes=5 * i) for i in range(10)]
    now = T0 + timedelta(minutes=50)
    with pytest.raises(RateLimited) as info:
        otp.check_can_issue(sent, now)
    assert info.value.code == "otp.hourly_limit"
    assert info.value.retry_after == 600
    otp.check_can_issue(sent, T0 + timedelta(minutes=60))
