"""Every documented outcome is reachable by magic value AND by the next-outcome control call."""

from __future__ import annotations

import pytest
from provider_calls import bank_4e, detect_auth, detect_info, phone_verification, send_sms
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from emulator.mock_providers.bank.models import RESULTS as BANK_RESULTS
from emulator.mock_providers.carrier.models import RESULTS as CARRIER_RESULTS
from emulator.mock_providers.client import ControlError
from emulator.mock_providers.sms.models import STATUS as SMS_STATUS

VALID_ID = "110101199003077774"  # any checksum-valid ID: the magic mobile/card decides
NAME = "王五"

CARRIER_MAGIC = [
    ("match", "19900990000"), ("mismatch", "19900990004"), ("no_record", "19900990009"),
    ("busy", "19900990011"), ("daily_limit", "19900990012"),
    ("unsupported_segment", "19900990013"), ("invalid_number", "1990099"),
]


@pytest.mark.parametrize(("outcome", "phone"), CARRIER_MAGIC)
def test_carrier_outcome_by_magic_mobile(faceid, outcome, phone):
    resp = phone_verification(faceid, NAME, VALID_ID, phone)
    assert (resp.Result, resp.Description) == CARRIER_RESULTS[outcome]


@pytest.mark.parametrize(("outcome", "name", "id_number"), [
    ("invalid_id", NAME, "110101199003077775"), ("invalid_name", "王五5", VALID_ID)])
def test_carrier_input_checks(faceid, outcome, name, id_number):
    resp = phone_verification(faceid, name, id_number, "13800138000")
    assert resp.Result == CARRIER_RESULTS[outcome][0]


@pytest.mark.parametrize("outcome", sorted(CARRIER_RESULTS))
def test_carrier_outcome_by_control(faceid, mock_providers, outcome):
    mock_providers.next_outcome("carrier", "PhoneVerification", outcome)
    first = phone_verification(faceid, NAME, VALID_ID, "13800138000")
    assert (first.Result, first.Description) == CARRIER_RESULTS[outcome]
    assert phone_verification(faceid, NAME, VALID_ID, "13800138000").Result == "-9"  # consumed


BANK_MAGIC = [
    ("match", "6222990000000001"), ("mismatch", "6222990000000019"),
    ("mobile_mismatch", "6222990000000993"), ("holder_info", "6222990000000068"),
    ("no_card_payment", "6222990000000076"), ("card_invalid", "6222990000000092"),
    ("card_lost", "6222990000000134"), ("card_expired", "6222990000000142"),
    ("restricted", "6222990000000159"), ("busy", "6222990000000183"),
    ("daily_limit", "6222990000000191"), ("card_abnormal", "6222990000000217"),
    ("card_format", "6222990000000002"),  # Luhn check digit wrong
]


@pytest.mark.parametrize(("outcome", "card"), BANK_MAGIC)
def test_bank_outcome_by_magic_card(faceid, outcome, card):
    resp = bank_4e(faceid, NAME, VALID_ID, card, "13800138000")
    assert (resp.Result, resp.Description) == BANK_RESULTS[outcome]


@pytest.mark.parametrize("outcome", sorted(BANK_RESULTS))
def test_bank_outcome_by_control(faceid, mock_providers, outcome):
    mock_providers.next_outcome("bank", "BankCard4EVerification", outcome)
    resp = bank_4e(faceid, NAME, VALID_ID, "6222020200112233446", "13800138000")
    assert (resp.Result, resp.Description) == BANK_RESULTS[outcome]


def test_bank_mismatch_descriptions_tell_mobile_apart(faceid):
    mobile = bank_4e(faceid, NAME, VALID_ID, "6222990000000993", "13800138000")
    other = bank_4e(faceid, NAME, VALID_ID, "6222990000000019", "13800138000")
    assert mobile.Result == other.Result == "-1"
    assert mobile.Description != other.Description and "预留手机号" in mobile.Description


SMS_MAGIC = [("sent", "19900980000"), ("invalid_number", "19900980404"),
             ("invalid_number", "+86123"), ("limit_30s", "19900980030"),
             ("limit_1h", "19900983600"), ("limit_daily", "19900980024")]


@pytest.mark.parametrize(("outcome", "mobile"), SMS_MAGIC)
def test_sms_outcome_by_magic_mobile(sms, mock_providers, outcome, mobile):
    status = send_sms(sms, mobile).SendStatusSet[0]
    assert (status.Code, status.Message) == SMS_STATUS[outcome]
    assert len(mock_providers.outbox()) == (1 if outcome == "sent" else 0)


@pytest.mark.parametrize("outcome", sorted(SMS_STATUS))
def test_sms_outcome_by_control(sms, mock_providers, outcome):
    mock_providers.next_outcome("sms", "SendSms", outcome)
    assert send_sms(sms, "13800138000").SendStatusSet[0].Code == SMS_STATUS[outcome][0]
    assert len(mock_providers.outbox("13800138000")) == (1 if outcome == "sent" else 0)


def test_sms_frequency_policy_limits_per_number(sms, mock_providers):
    mock_providers.sms_policy(enabled=True)
    codes = [send_sms(sms, "13800138000").SendStatusSet[0].Code for _ in range(2)]
    assert codes == ["Ok", "LimitExceeded.PhoneNumberThirtySecondLimit"]
    assert send_sms(sms, "13900139000").SendStatusSet[0].Code == "Ok"  # per number
    mock_providers.advance_clock(31)
    assert send_sms(sms, "13800138000").SendStatusSet[0].Code == "Ok"


FACE_EXPECT = {  # outcome -> (ErrCode, LiveStatus, Comparestatus)
    "pass": (0, 0, 0), "liveness_fail": (1004, 1004, None), "face_mismatch": (2016, 0, 2016),
    "timeout": (15, None, None), "cancelled": (17, None, None), "pending": (None, None, None),
}
FACE_MAGIC = {"pass": "110101199001019001", "liveness_fail": "11010119900101901X",
              "face_mismatch": "110101199001019028", "timeout": "110101199001019036",
              "cancelled": "110101199001019044", "pending": "110101199001019052"}


def _face_triplet(faceid, token):
    text = detect_info(faceid, token).Text
    return text.ErrCode, text.LiveStatus, text.Comparestatus


@pytest.mark.parametrize("outcome", sorted(FACE_MAGIC))
def test_face_outcome_by_magic_id(faceid, outcome):
    token = detect_auth(faceid, NAME, FACE_MAGIC[outcome]).BizToken
    assert _face_triplet(faceid, token) == FACE_EXPECT[outcome]


@pytest.mark.parametrize("outcome", sorted(FACE_EXPECT))
def test_face_outcome_by_next_outcome(faceid, mock_providers, outcome):
    mock_providers.next_outcome("face", "DetectAuth", outcome)
    token = detect_auth(faceid, NAME, VALID_ID).BizToken
    assert _face_triplet(faceid, token) == FACE_EXPECT[outcome]


@pytest.mark.parametrize("outcome", sorted(set(FACE_EXPECT) - {"pending"}))
def test_face_outcome_by_phone_simulation(faceid, mock_providers, outcome):
    mock_providers.seed({"face": [{"name": NAME, "id_number": VALID_ID}]})
    token = detect_auth(faceid, NAME, VALID_ID).BizToken
    assert _face_triplet(faceid, token) == (None, None, None)
    mock_providers.face_complete(token, outcome)
    assert _face_triplet(faceid, token) == FACE_EXPECT[outcome]
    with pytest.raises(ControlError) as err:
        mock_providers.face_complete(token, "pass")
    assert err.value.status_code == 409


def test_face_pass_checks_seeded_identity(faceid, mock_providers):
    mock_providers.seed({"face": [{"name": NAME, "id_number": VALID_ID}]})
    wrong_name = detect_auth(faceid, "赵六", VALID_ID).BizToken
    unknown = detect_auth(faceid, NAME, "110101199003078881").BizToken
    for token in (wrong_name, unknown):
        mock_providers.face_complete(token, "pass")
    assert detect_info(faceid, wrong_name).Text.ErrCode == 2006
    assert detect_info(faceid, unknown).Text.ErrCode == 2005


def test_unknown_outcome_is_refused_with_the_valid_list(mock_providers):
    with pytest.raises(ControlError) as err:
        mock_providers.next_outcome("carrier", "PhoneVerification", "maybe")
    assert err.value.status_code == 422 and "mismatch" in str(err.value.detail)


def test_internal_error_outcome_raises_tencent_internal_error(faceid, mock_providers):
    mock_providers.next_outcome("carrier", "PhoneVerification", "internal_error")
    with pytest.raises(TencentCloudSDKException) as err:
        phone_verification(faceid, NAME, VALID_ID, "13800138000")
    assert err.value.code == "InternalError"
