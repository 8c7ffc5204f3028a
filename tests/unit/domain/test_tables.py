"""Module-level tables mutmut cannot reach (it mutates inside functions only): check-digit
weights and alphabets, policy defaults, labels and the progress tables, each pinned to an
independent source (the GB standards' published examples, the manual, docs/decisions)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from szca_unlock.domain import otp, pin_policy, uploads, validators
from szca_unlock.domain.orders import (
    ORG_REALTIME_STEPS,
    PERSONAL_MANUAL_STEPS,
    PERSONAL_REALTIME_STEPS,
    OrderState,
)


def test_resident_id_weights_and_check_characters_of_gb_11643() -> None:
    assert validators._ID_WEIGHTS == (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    assert validators._ID_CHECK_CHARS == "10X98765432"
    # GB 11643-1999's worked example: 11010519491231002X
    assert validators.validate_resident_id("11010519491231002X").number == "11010519491231002X"


def test_uscc_weights_and_alphabet_of_gb_32100() -> None:
    assert validators._USCC_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10,
                                        30, 28)
    assert validators.USCC_CHARSET == "0123456789ABCDEFGHJKLMNPQRTUWXY"
    assert validators._ORG_CODE_WEIGHTS == (3, 7, 9, 10, 5, 8, 4, 2)
    # a code as printed on a business licence (GB 32100-2015 structure, valid check digit)
    assert validators.validate_uscc("91350100M000100Y43") == "91350100M000100Y43"


def test_otp_policy_defaults_as_decided() -> None:
    policy = otp.DEFAULT_POLICY
    assert (policy.length, policy.ttl, policy.resend_interval, policy.max_attempts,
            policy.max_per_hour) == (6, timedelta(minutes=5), timedelta(seconds=60), 5, 10)


def test_new_pin_policy_defaults_as_decided() -> None:
    policy = pin_policy.DEFAULT_PIN_POLICY
    assert (policy.min_length, policy.max_length) == (6, 16)
    assert pin_policy.FIELD == "new_pin"


def test_upload_limits_of_the_manual() -> None:
    assert uploads.MAX_UPLOAD_BYTES == 2 * 1024 * 1024
    assert uploads.MAX_FILENAME_BYTES == 255
    assert {k.extension for k in uploads.UploadKind} >= {"jpg", "bmp", "gif", "pdf"}


def test_progress_tables_as_the_manual_shows_them() -> None:
    assert ORG_REALTIME_STEPS == ("解锁信息确认", "身份验证", "企业验证", "完成并解锁")
    assert PERSONAL_REALTIME_STEPS == ("身份验证", "完成并解锁")
    assert PERSONAL_MANUAL_STEPS == ("解锁介绍", "证书选择", "录入信息", "打印申请表", "上传资料")


@pytest.mark.parametrize(("state", "label"), [
    (OrderState.DRAFT, "已创建"), (OrderState.ORG_INFO_CONFIRMED, "单位信息已确认"),
    (OrderState.OPERATOR_VERIFIED, "经办人已认证"),
    (OrderState.AUTHORIZATION_CONFIRMED, "授权委托书已确认"), (OrderState.VERIFIED, "认证通过"),
    (OrderState.SUBMITTED, "待审核"), (OrderState.APPROVED, "审核通过"),
    (OrderState.REJECTED, "审核驳回"), (OrderState.COMPLETED, "已解锁"),
])
def test_state_labels(state: OrderState, label: str) -> None:
    assert state.label == label
