"""The exact words and codes users and clients get from the domain rules (mutation testing,
docs/testing.md, showed many were asserted nowhere: a garbled message would have passed)."""

from __future__ import annotations

from collections.abc import Callable
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
from szca_unlock.domain.orders import (
    IllegalTransition,
    OrderEvent,
    OrderMode,
    OrderState,
    next_state,
    transition,
)
from szca_unlock.domain.pin_policy import PinPolicy, describe, validate_pin
from szca_unlock.domain.rate_limit import Limit, RateLimited, SlidingWindowLimiter
from szca_unlock.domain.uploads import check_filename, classify_upload
from szca_unlock.domain.validators import (
    validate_bank_card,
    validate_email,
    validate_mobile,
    validate_person_name,
    validate_resident_id,
    validate_uscc,
)

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


# --- every refusal of a typed or uploaded value, in the user's words ------------------------
_ID = "440306198507061172"
_USCC = "91440300MA5DC6QX9L"


@pytest.mark.parametrize(("check", "value", "code", "message"), [
    (validate_resident_id, " ", "id_number.required", "请输入身份证号码"),
    (validate_resident_id, "44030619850706117", "id_number.length",
     "身份证号码应为18位（不支持15位旧号码），请核对后重新输入"),
    (validate_resident_id, "44030619850706117Y", "id_number.format",
     "身份证号码只能由数字和末位的X组成，请核对后重新输入"),
    (validate_resident_id, "990306198507061172", "id_number.area",
     "身份证号码前6位地区码不正确，请核对后重新输入"),
    (validate_resident_id, "440306198502301172", "id_number.birth_date",
     "身份证号码中的出生日期（第7至14位）不是有效日期，请核对后重新输入"),
    (validate_resident_id, "440306209901011172", "id_number.birth_date_future",
     "身份证号码中的出生日期晚于今天，请核对后重新输入"),
    (validate_resident_id, "440306189901011172", "id_number.birth_date_too_early",
     "身份证号码中的出生日期早于1900年，请核对后重新输入"),
    (validate_resident_id, _ID[:-1] + "3", "id_number.checksum",
     "身份证号码校验位不正确，请核对后重新输入"),
    (validate_uscc, "", "uscc.required", "请输入统一社会信用代码"),
    (validate_uscc, _USCC[:-1], "uscc.length",
     "统一社会信用代码应为18位，请对照营业执照核对后重新输入"),
    (validate_uscc, _USCC[:-1] + "I", "uscc.charset",
     "统一社会信用代码只能包含数字和大写字母（不含I、O、S、V、Z），请核对后重新输入"),
    (validate_uscc, "B" + _USCC[1:], "uscc.registration_dept",
     "统一社会信用代码第1位（登记管理部门代码）不正确，请核对"),
    (validate_uscc, "98" + _USCC[2:], "uscc.org_type",
     "统一社会信用代码第2位（机构类别代码）不正确，请核对"),
    (validate_uscc, "914A0300MA5DC6QX9L", "uscc.area",
     "统一社会信用代码第3至8位（登记管理机关行政区划码）不正确，请核对"),
    (validate_uscc, "91440300MA5DC6QX8L", "uscc.org_code",
     "统一社会信用代码第9至17位（组织机构代码）校验不正确，请核对"),
    (validate_mobile, "", "mobile.required", "请输入手机号码"),
    (validate_mobile, "12800138000", "mobile.format",
     "手机号码格式不正确，请输入11位中国大陆手机号码"),
    (validate_bank_card, "", "bank_card.required", "请输入银行卡号"),
    (validate_bank_card, "6222-0212-345a-7890", "bank_card.format",
     "银行卡号只能包含数字，请核对后重新输入"),
    (validate_bank_card, "62220212345", "bank_card.length",
     "银行卡号应为12至19位数字，请核对后重新输入"),
    (validate_bank_card, "6222021234567890", "bank_card.checksum",
     "银行卡号校验不正确，请核对卡号后重新输入"),
    (validate_person_name, "", "name.required", "请输入姓名"),
    (validate_person_name, "黄", "name.length", "中文姓名应为2至30个字，请按证件上的姓名填写"),
    (validate_person_name, "L", "name.length", "英文姓名应为2至60个字符，请按证件上的姓名填写"),
])
def test_each_refused_value_in_the_users_words(check: Callable[..., object], value: str,
                                               code: str, message: str) -> None:
    field = code.split(".")[0]
    with pytest.raises(ValidationError) as refused:
        check(value, field=f"form_{field}")
    assert (refused.value.code, shown(refused.value.message), refused.value.field) == (
        f"form_{code}", shown(message), f"form_{field}")


@pytest.mark.parametrize(("name", "data", "code", "message"), [
    (" ", b"x", "upload.filename_required", "请选择要上传的文件"),
    ("a\u202egpj.exe", b"x", "upload.filename_control",
     "文件名包含不可见的控制字符，请重命名后重新上传"),
    ("..", b"x", "upload.filename_path",
     "文件名不能包含路径（如“../”或“C:\\”），请只选择文件本身上传"),
    ("C:scan.jpg", b"x", "upload.filename_path",
     "文件名不能包含路径（如“../”或“C:\\”），请只选择文件本身上传"),
    ("a?.jpg", b"x", "upload.filename_chars",
     '文件名不能包含 < > : " | ? * 等字符，请重命名后重新上传'),
    ("扫" * 84 + ".jpg", b"x", "upload.filename_length", "文件名过长，请重命名后重新上传"),
    ("scan.jpg", b"", "upload.empty", "上传的文件是空文件，请重新选择文件"),
    ("scan.jpg", b"\xff\xd8\xff" + bytes(2 * 1024 * 1024), "upload.too_large",
     "文件大小不能超过2M，请压缩或降低扫描分辨率后重新上传"),
    ("scan.png", b"\x89PNG\r\n", "upload.type",
     "仅支持jpg、JPEG、bmp、gif、pdf格式的文件，请重新选择"),
])
def test_each_refused_upload_in_the_users_words(name: str, data: bytes, code: str,
                                                message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        classify_upload(name, data, field="id_scan")
    assert (refused.value.code, shown(refused.value.message), refused.value.field) == (
        code, shown(message), "id_scan")
    with pytest.raises(ValidationError) as default_field:
        classify_upload(name, data)
    assert default_field.value.field == "file"


def test_file_names_at_the_limits_are_accepted() -> None:
    assert check_filename("扫" * 83 + "ab.jpg") == "扫" * 83 + "ab.jpg"  # 255 bytes in UTF-8
    assert check_filename("C") == "C"
    assert check_filename("a.. b") == "a.. b"


@pytest.mark.parametrize(("pin", "code", "message"), [
    ("", "pin.required", "请输入新密码"),
    ("abc 123", "pin.charset", "新密码只能包含英文字母和数字（不能有空格或符号），请重新设置"),
    ("12345", "pin.length", "新密码长度应为6至16位，请重新设置"),
    ("aaaaaa", "pin.all_same", "新密码不能全部是同一个字符（如111111），请重新设置"),
    ("654321", "pin.sequence", "新密码不能是连续的数字（如123456或654321），请重新设置"),
])
def test_each_refused_new_pin_in_the_users_words(pin: str, code: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_pin(pin)
    assert (refused.value.code, shown(refused.value.message), refused.value.field) == (
        code, shown(message), "new_pin")


def test_a_rejection_needs_a_reason_on_the_reason_field() -> None:
    with pytest.raises(DomainError) as refused:
        transition(OrderState.SUBMITTED, OrderEvent.REJECT, mode=OrderMode.MANUAL,
                   kind=CertificateKind.NATURAL, actor="op", at=T0, note="  ")
    assert (refused.value.code, refused.value.message, refused.value.field) == (
        "order.reason_required", "请填写驳回原因", "reason")


def test_an_illegal_step_names_the_state_and_the_step() -> None:
    with pytest.raises(IllegalTransition) as refused:
        next_state(OrderState.DRAFT, OrderEvent.APPROVE, mode=OrderMode.MANUAL,
                   kind=CertificateKind.NATURAL)
    assert shown(refused.value.message) == "业务单当前状态为「已创建」,不能执行「审核通过」"
    assert (refused.value.state, refused.value.event) == (OrderState.DRAFT, OrderEvent.APPROVE)
    with pytest.raises(IllegalTransition) as wrong_kind:
        next_state(OrderState.DRAFT, OrderEvent.VERIFY_IDENTITY, mode=OrderMode.REALTIME,
                   kind=CertificateKind.ORG)
    assert shown(wrong_kind.value.message) == (
        "业务单当前状态为「已创建」,机构证书不能执行「本人身份验证」")
