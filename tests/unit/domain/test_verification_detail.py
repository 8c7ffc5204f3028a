"""A verification row's detail as stored: rows written before the detail was typed still
load, and what is written now reads back the same, in the shape earlier rows have."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from szca_unlock.domain.verification_detail import VerificationDetail

SENT = datetime(2026, 12, 3, 2, 15, tzinfo=UTC)
RESENT = SENT + timedelta(seconds=61)
# Exactly what the service wrote as dicts, one row per kind of check.
OLD_ROWS = {
    "carrier, code resent, then exhausted": {
        "mobile": "13800138000", "isp": "移动", "name": "张三",
        "id_number": "110101199003074514", "code_hash": "9f" * 32,
        "code_sent_at": RESENT.isoformat(), "sent_at": [SENT.isoformat(), RESENT.isoformat()],
        "message": "验证码错误次数过多,请重新获取", "code": "otp.exhausted", "help": "拨打热线"},
    "bank": {"mobile": "13800138000", "card_tail": "0123", "name": "张三",
             "id_number": "110101199003074514", "code_hash": "aa" * 32,
             "code_sent_at": SENT.isoformat(), "sent_at": [SENT.isoformat()]},
    "face": {"url": "https://face.example/s/1", "expires_at": RESENT.isoformat(),
             "name": "张三", "id_number": "110101199003074514"},
    "deposit": {"account_tail": "6789", "transfer_status": "transferred", "amount": "0.01",
                "name": "深圳市测试科技有限公司", "id_number": "91440300MA5DC1234X"},
    "operator face (ORG-MR-8) failed": {"url": "https://face.example/s/2", "name": "张三",
                                         "id_number": "110101199003074514",
                                         "message": "活体检测未通过", "outcome": "failed"},
    "provider refused before any detail": {"message": "手机号码与身份证不匹配",
                                           "code": "carrier_mismatch", "help": None},
}


def test_a_stored_sms_check_loads_typed() -> None:
    detail = VerificationDetail.from_json(OLD_ROWS["carrier, code resent, then exhausted"])
    assert (detail.mobile, detail.isp, detail.name) == ("13800138000", "移动", "张三")
    assert (detail.code_hash, detail.code_sent_at) == ("9f" * 32, RESENT)
    assert detail.sent_at == (SENT, RESENT)
    assert (detail.message, detail.error_code, detail.help) == (
        "验证码错误次数过多,请重新获取", "otp.exhausted", "拨打热线")


def test_stored_face_and_deposit_checks_load_typed() -> None:
    face = VerificationDetail.from_json(OLD_ROWS["face"])
    assert (face.url, face.face_expires_at, face.mobile) == (
        "https://face.example/s/1", RESENT, None)
    deposit = VerificationDetail.from_json(OLD_ROWS["deposit"])
    assert (deposit.account_tail, deposit.transfer_status, deposit.amount) == (
        "6789", "transferred", "0.01")
    assert deposit.sent_at == () and deposit.code_hash is None


def test_empty_and_unknown_rows_load() -> None:
    assert VerificationDetail.from_json({}) == VerificationDetail.from_json(None)
    assert VerificationDetail.from_json({"score": 91}) == VerificationDetail()


@pytest.mark.parametrize("stored", OLD_ROWS.values(), ids=OLD_ROWS.keys())
def test_what_is_written_reads_back_in_the_stored_shape(stored: dict[str, object]) -> None:
    detail = VerificationDetail.from_json(stored)
    assert VerificationDetail.from_json(detail.to_json()) == detail
    # The same keys and values, save the ``None`` ones, which are left out.
    assert detail.to_json() == {k: v for k, v in stored.items() if v is not None}
