"""The exact words and codes users and clients get from the domain rules (mutation testing,
docs/testing.md, showed many were asserted nowhere: a garbled message would have passed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from szca_unlock.domain import otp
from szca_unlock.domain.certificates import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    Holder,
    Organisation,
    normalise_serial,
)
from szca_unlock.domain.errors import CS_HELP, DomainError, ValidationError
from szca_unlock.domain.pin_policy import PinPolicy, describe
from szca_unlock.domain.rate_limit import Limit, RateLimited, SlidingWindowLimiter
from szca_unlock.domain.validators import validate_email

T0 = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
# Half-width and full-width punctuation are the same words to the reader; these tests pin the
# wording (the punctuation is pinned by the BDD suite's full-width check).
_SAME_MARKS = str.maketrans("，：；（）！？", ",:;()!?")


def shown(text: str) -> str:
    return text.translate(_SAME_MARKS)


def _certificate(status: CertificateStatus = CertificateStatus.VALID) -> Certificate:
    return Certificate("5A1C", "CN=黄伟", CertificateKind.NATURAL, False, T0,
                       datetime(2027, 11, 26, 2, 0, tzinfo=UTC), status, "KEY1",
                       holder=Holder("黄伟", "440306198507061172"))


# --- certificates ----------------------------------------------------------------------------
@pytest.mark.parametrize(("status", "now", "code", "message"), [
    (CertificateStatus.REVOKED, T0, "certificate.revoked",
     "该证书已吊销,无法解锁。如有疑问请联系深圳CA客服 400-112-3838"),
    (CertificateStatus.VALID, T0 - timedelta(days=1), "certificate.not_yet_valid",
     "该证书尚未生效,无法解锁"),
    (CertificateStatus.VALID, datetime(2027, 12, 1, tzinfo=UTC), "certificate.expired",
     "该证书已于2027-11-26过期,无法解锁,请办理证书更新"),
])
def test_why_a_certificate_cannot_be_unlocked(status: CertificateStatus, now: datetime,
                                              code: str, message: str) -> None:
    with pytest.raises(DomainError) as refused:
        _certificate(status).check_unlockable(now)
    assert (refused.value.code, shown(refused.value.message), refused.value.field,
            refused.value.status) == (code, shown(message), "certificate_serial", 422)


def test_a_malformed_serial_says_so_on_the_serial_field() -> None:
    with pytest.raises(ValidationError) as refused:
        normalise_serial("XYZ")
    assert (refused.value.code, shown(refused.value.message), refused.value.field) == (
        "certificate.serial_format", "证书序列号格式不正确,请核对后重新输入",
        "certificate_serial")


def test_leading_zeros_of_a_serial_are_dropped_and_zero_stays_zero() -> None:
    assert normalise_serial("00:0a:1b") == "A1B"
    assert normalise_serial("0000") == "0"
    assert normalise_serial("A0") == "A0"


@pytest.mark.parametrize(("kind", "organisation", "holder", "message"), [
    (CertificateKind.ORG, None, None, "机构证书 needs an organisation"),
    (CertificateKind.ORG_PERSONAL, Organisation("某公司", "91440300MA5EXAMPLE", "甲", "1"),
     None, "机构个人证书 needs a holder"),
    (CertificateKind.NATURAL, None, None, "自然人证书 needs a holder"),
])
def test_a_certificate_value_without_its_parties_is_a_programming_error(
        kind: CertificateKind, organisation: Organisation | None, holder: Holder | None,
        message: str) -> None:
    with pytest.raises(ValueError, match=rf"^{message}$"):
        Certificate("5A1C", "CN=x", kind, False, T0, T0 + timedelta(days=1),
                    CertificateStatus.VALID, "KEY1", organisation=organisation, holder=holder)


def test_a_certificate_valid_for_no_time_at_all_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^not_after must be later than not_before$"):
        Certificate("5A1C", "CN=x", CertificateKind.NATURAL, False, T0, T0,
                    CertificateStatus.VALID, "KEY1", holder=Holder("黄伟", "1"))


# --- one-time codes --------------------------------------------------------------------------
@pytest.mark.parametrize(("outcome", "code", "message"), [
    (otp.OtpOutcome.MISMATCH, "otp.mismatch", "验证码不正确,请核对后重新输入(还可尝试3次)"),
    (otp.OtpOutcome.EXPIRED, "otp.expired", "验证码已过期,请重新获取验证码"),
    (otp.OtpOutcome.USED, "otp.used", "验证码已使用,请重新获取验证码"),
    (otp.OtpOutcome.EXHAUSTED, "otp.exhausted",
     "验证码错误次数过多,该验证码已失效,请重新获取验证码"),
])
def test_each_code_outcome_in_the_users_words(outcome: otp.OtpOutcome, code: str,
                                              message: str) -> None:
    error = otp.otp_error(outcome, 3)
    assert (error.code, shown(error.message), error.field) == (code, shown(message), "code")


def test_a_second_code_too_soon_says_how_many_seconds_to_wait() -> None:
    with pytest.raises(RateLimited) as early:
        otp.check_can_issue([T0], T0 + timedelta(seconds=0.5))
    assert early.value.code == "otp.resend_too_soon"
    assert shown(early.value.message) == "验证码已发送,请60秒后再重新获取"  # 59.5 s rounded up
    assert early.value.retry_after == 60 and early.value.help is None
    with pytest.raises(RateLimited) as last_second:
        otp.check_can_issue([T0], T0 + timedelta(seconds=59.5))
    assert last_second.value.retry_after == 1 and "请1秒后" in last_second.value.message


def test_the_hourly_limit_says_the_limit_the_minutes_and_where_to_get_help() -> None:
    sent = [T0 + timedelta(minutes=5 * i) for i in range(10)]
    with pytest.raises(RateLimited) as limited:
        otp.check_can_issue(sent, T0 + timedelta(minutes=50, seconds=30))
    assert shown(limited.value.message) == (
        "该手机号获取验证码过于频繁(每小时最多10次),请10分钟后再试")
    assert limited.value.retry_after == 570 and limited.value.help == CS_HELP


# --- the request limiter ---------------------------------------------------------------------
class _Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def _refusal(window: timedelta, after: timedelta) -> RateLimited:
    clock = _Clock()
    limiter, limit = SlidingWindowLimiter(clock), Limit("x", 1, window)
    limiter.hit(limit, "k")
    clock.now = T0 + after
    with pytest.raises(RateLimited) as refused:
        limiter.hit(limit, "k")
    return refused.value


@pytest.mark.parametrize(("window", "after", "retry_after", "words"), [
    (timedelta(seconds=60), timedelta(seconds=0.5), 60, "60秒"),  # 59.5 s: rounded up
    (timedelta(seconds=60), timedelta(seconds=59.7), 1, "1秒"),
    (timedelta(seconds=91), timedelta(0), 91, "2分钟"),  # over 90 s: said in minutes
    (timedelta(minutes=10), timedelta(minutes=10, seconds=-121), 121, "3分钟"),
    (timedelta(minutes=10), timedelta(minutes=8), 120, "2分钟"),
])
def test_the_limiter_says_the_wait_rounded_up(window: timedelta, after: timedelta,
                                              retry_after: int, words: str) -> None:
    refused = _refusal(window, after)
    assert refused.code == "rate_limited" and refused.status == 429
    assert refused.retry_after == retry_after
    assert shown(refused.message) == f"操作过于频繁,请{words}后再试"


def test_a_limit_error_keeps_its_help_and_waits_at_least_a_second() -> None:
    error = RateLimited("x.limited", "稍后再试", 0, help=CS_HELP)
    assert (error.retry_after, error.help, error.field) == (1, CS_HELP, None)
    assert RateLimited("x.limited", "稍后再试", 1).retry_after == 1


# --- other texts -----------------------------------------------------------------------------
def test_the_new_pin_dialog_states_the_rules() -> None:
    assert shown(describe(PinPolicy(6, 12))) == (
        "新密码为6至12位英文字母或数字(区分大小写),"
        "不能全部是同一个字符,也不能是连续的数字(如123456)")


@pytest.mark.parametrize(("low", "high"), [(0, 6), (7, 6), (-1, 16)])
def test_a_pin_length_range_that_admits_nothing_is_a_programming_error(low: int,
                                                                       high: int) -> None:
    with pytest.raises(ValueError, match=rf"^bad PIN length range {low}..{high}$"):
        PinPolicy(low, high)


def test_one_character_pins_and_a_fixed_length_are_allowed_ranges() -> None:
    assert PinPolicy(1, 1).min_length == 1
    assert PinPolicy(6, 6).max_length == 6


def test_an_email_error_says_how_to_write_one() -> None:
    for value in ("", "no-at-sign", "a@b"):
        with pytest.raises(ValidationError) as refused:
            validate_email(value, field="contact_email")
        assert refused.value.field == "contact_email"
    with pytest.raises(ValidationError) as blank:
        validate_email("  ")
    assert (blank.value.code, blank.value.message) == ("email.required", "请输入电子邮箱")
    with pytest.raises(ValidationError) as bad:
        validate_email("a@b")
    assert (bad.value.code, shown(bad.value.message)) == (
        "email.format", "电子邮箱格式不正确,请输入如 name@example.com 的地址")


def test_domain_error_repr_names_its_class_code_and_field_only() -> None:
    error = ValidationError("id_number.checksum", "身份证号码校验位不正确", "id_number")
    assert repr(error) == "ValidationError(code='id_number.checksum', field='id_number')"
