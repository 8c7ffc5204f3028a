"""Boundaries that mutation testing showed untested (docs/testing.md): each test fails if an
operator, constant or limit in the domain changes by one."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from szca_unlock.domain import otp
from szca_unlock.domain.certificates import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    Holder,
    normalise_serial,
)
from szca_unlock.domain.errors import DomainError, ValidationError
from szca_unlock.domain.rate_limit import Limit, RateLimited, SlidingWindowLimiter
from szca_unlock.domain.uploads import UploadKind, classify_upload, storage_name
from szca_unlock.domain.validators import validate_email, validate_person_name

T0 = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
PEPPER = b"pepper"


# --- one-time codes ------------------------------------------------------------------------
def test_the_right_code_on_the_last_allowed_try_passes() -> None:
    code, record = otp.issue(PEPPER, "13800138000", T0)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(otp.DEFAULT_POLICY.max_attempts - 1):
        check = otp.verify(record, PEPPER, "13800138000", wrong, T0)
        assert check.outcome is otp.OtpOutcome.MISMATCH
        record = check.record
    assert check.attempts_left == 1
    last = otp.verify(record, PEPPER, "13800138000", code, T0)
    assert last.outcome is otp.OtpOutcome.OK and last.record.used


def test_the_fifth_wrong_try_exhausts_the_code() -> None:
    code, record = otp.issue(PEPPER, "s", T0)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    outcomes = []
    for _ in range(otp.DEFAULT_POLICY.max_attempts):
        check = otp.verify(record, PEPPER, "s", wrong, T0)
        record = check.record
        outcomes.append((check.outcome, check.attempts_left))
    assert outcomes[-2:] == [(otp.OtpOutcome.MISMATCH, 1), (otp.OtpOutcome.EXHAUSTED, 0)]


def test_generated_codes_cover_the_whole_range() -> None:
    policy = otp.OtpPolicy(length=2)
    seen = {int(otp.generate_code(policy)) for _ in range(3000)}
    assert max(seen) >= 90 and min(seen) < 10  # 00..99, not 0..19 (10*length)
    assert all(len(otp.generate_code()) == 6 for _ in range(50))
    assert max(int(otp.generate_code()) for _ in range(2000)) > 100_000


def test_a_code_expires_at_its_lifetime_not_a_moment_later() -> None:
    code, record = otp.issue(PEPPER, "s", T0)
    assert record.expires_at == T0 + timedelta(minutes=5)
    before = otp.verify(record, PEPPER, "s", code, T0 + timedelta(minutes=5) - timedelta(seconds=1))
    assert before.outcome is otp.OtpOutcome.OK
    at = otp.verify(record, PEPPER, "s", code, T0 + timedelta(minutes=5))
    assert at.outcome is otp.OtpOutcome.EXPIRED


@pytest.mark.parametrize(("outcome", "code", "words"), [
    (otp.OtpOutcome.MISMATCH, "otp.mismatch", "还可尝试3次"),
    (otp.OtpOutcome.EXPIRED, "otp.expired", "已过期"),
    (otp.OtpOutcome.USED, "otp.used", "已使用"),
    (otp.OtpOutcome.EXHAUSTED, "otp.exhausted", "次数过多"),
])
def test_each_outcome_has_its_own_code_and_words(outcome: otp.OtpOutcome, code: str,
                                                 words: str) -> None:
    error = otp.otp_error(outcome, 3)
    assert (error.code, error.field) == (code, "code")
    assert words in error.message
    assert (getattr(error, "help", None) is not None) == (outcome is otp.OtpOutcome.EXHAUSTED)


def test_resend_wait_counts_down_from_the_last_code() -> None:
    sent = [T0, T0 + timedelta(seconds=30)]
    with pytest.raises(RateLimited) as early:
        otp.check_can_issue(sent, T0 + timedelta(seconds=50))
    assert early.value.retry_after == 40 and "40秒" in early.value.message
    otp.check_can_issue(sent, T0 + timedelta(seconds=90))  # 60 s after the last one


def test_hourly_limit_waits_until_the_oldest_code_is_an_hour_old() -> None:
    sent = [T0 + timedelta(minutes=5 * i) for i in range(10)]
    now = T0 + timedelta(minutes=50)
    with pytest.raises(RateLimited) as limited:
        otp.check_can_issue(sent, now)
    assert limited.value.code == "otp.hourly_limit"
    assert limited.value.retry_after == 600 and "10分钟" in limited.value.message
    otp.check_can_issue(sent[1:], now)  # nine in the hour: one more is allowed


# --- the request limiter -----------------------------------------------------------------
class _Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def test_retry_after_counts_from_the_oldest_hit_in_the_window() -> None:
    clock = _Clock()
    limiter, limit = SlidingWindowLimiter(clock), Limit("x", 3, timedelta(seconds=60))
    for offset in (0, 20, 40):
        clock.now = T0 + timedelta(seconds=offset)
        limiter.hit(limit, "k")
    clock.now = T0 + timedelta(seconds=45)
    with pytest.raises(RateLimited) as refused:
        limiter.hit(limit, "k")
    assert refused.value.retry_after == 15 and "15秒" in refused.value.message
    clock.now = T0 + timedelta(seconds=60)  # the first hit leaves the window
    limiter.hit(limit, "k")
    with pytest.raises(RateLimited):
        limiter.hit(limit, "k")


def test_long_waits_are_said_in_minutes() -> None:
    clock = _Clock()
    limiter, limit = SlidingWindowLimiter(clock), Limit("y", 1, timedelta(minutes=10))
    limiter.hit(limit, "k")
    clock.now = T0 + timedelta(seconds=30)
    with pytest.raises(RateLimited) as refused:
        limiter.hit(limit, "k")
    assert refused.value.retry_after == 570
    assert re.search(r"请10分钟后再试", refused.value.message), refused.value.message
    limiter.hit(limit, "other")  # keys are counted apart


def test_ninety_seconds_is_still_said_in_seconds() -> None:
    clock = _Clock()
    limiter, limit = SlidingWindowLimiter(clock), Limit("z", 1, timedelta(seconds=90))
    limiter.hit(limit, "k")
    with pytest.raises(RateLimited) as refused:
        limiter.hit(limit, "k")
    assert "90秒" in refused.value.message


# --- certificates --------------------------------------------------------------------------
def test_holder_repr_shows_only_the_last_four_digits() -> None:
    holder = Holder("黄伟", "440306198507061172")
    assert repr(holder) == "Holder(name='黄伟', id_number='***1172')"


def test_a_serial_of_forty_hex_digits_is_accepted_and_forty_one_refused() -> None:
    assert normalise_serial("ab" * 20) == "AB" * 20
    with pytest.raises(DomainError) as refused:
        normalise_serial("a" * 41)
    assert refused.value.code == "certificate.serial_format"
    with pytest.raises(DomainError) as not_hex:
        normalise_serial("5A1C0E2B7D3F00G1")
    assert not_hex.value.code == "certificate.serial_format"


def _certificate() -> Certificate:
    return Certificate("5A1C", "CN=黄伟", CertificateKind.NATURAL, False, T0,
                       T0 + timedelta(days=365), CertificateStatus.VALID, "KEY1",
                       holder=Holder("黄伟", "440306198507061172"))


def test_validity_starts_at_not_before_and_ends_at_not_after() -> None:
    cert = _certificate()
    assert not cert.is_unlockable(T0 - timedelta(microseconds=1))
    assert cert.is_unlockable(T0)
    assert cert.is_unlockable(cert.not_after - timedelta(microseconds=1))
    assert not cert.is_unlockable(cert.not_after)


# --- names, e-mail, uploads ------------------------------------------------------------------
@pytest.mark.parametrize("value", [12345, ["黄伟"], b"\xe9\xbb\x84"])
def test_a_name_that_is_not_text_is_refused(value: object) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_person_name(value, field="applicant_name")
    assert refused.value.field == "applicant_name"


def test_email_length_limits() -> None:
    domain = "example.com"
    assert validate_email("a" * 64 + "@" + domain)
    with pytest.raises(ValidationError):
        validate_email("a" * 65 + "@" + domain)
    label = "b" * 63
    host = ".".join([label, label, label, "c" * 57]) + ".cn"  # 254 - 1 - 60 characters
    local = "a" * (254 - 1 - len(host))
    assert len(local) + 1 + len(host) == 254
    assert validate_email(f"{local}@{host}")
    with pytest.raises(ValidationError):
        validate_email(f"{local}a@{host}")


def test_gif89a_is_an_accepted_image() -> None:
    assert classify_upload("工作证.gif", b"GIF89a" + b"\0" * 64) is UploadKind.GIF
    assert classify_upload("工作证.gif", b"GIF87a" + b"\0" * 64) is UploadKind.GIF


def test_a_multi_dot_name_keeps_its_stem_and_gets_the_real_extension() -> None:
    assert storage_name("身份证.正面.v2.JPG", UploadKind.JPEG) == "身份证.正面.v2.jpg"
    assert storage_name("扫描件", UploadKind.PDF) == "扫描件.pdf"
    assert storage_name(".hidden", UploadKind.PNG if hasattr(UploadKind, "PNG")
                        else UploadKind.BMP).startswith(".hidden")
