"""The input checks Tencent documents, answered with its codes through both official SDKs."""

from __future__ import annotations

import pytest

from emulator.mock_providers.catalogue import BANK_BASE, CARRIER_BASE, FACE_BASE

LOWER_X = "11010119900101901x"  # valid but for the lower-case check character


@pytest.mark.parametrize(("params", "code"), [
    ({"RuleId": "7"}, "InvalidParameterValue.RuleIdNotExist"),
    ({"RuleId": "9"}, "InvalidParameterValue.RuleIdDisabled"),
    ({"IdCard": LOWER_X}, "FailedOperation.IdFormatError"),
    ({"IdCard": "110101199003070012"}, "FailedOperation.IdFormatError"),
    ({"Name": "张" * 33}, "FailedOperation.NameFormatError"),
    ({"Name": "张3"}, "FailedOperation.NameFormatError"),
    ({"Encryption": {"EncryptList": ["IdCard"], "CiphertextBlob": "AQIDBA==", "Iv": "x" * 16}},
     "FailedOperation.DecryptSystemError"),
    ({"Encryption": {"EncryptList": ["Mobile"], "CiphertextBlob": "AQIDBA=="}},
     "InvalidParameter.UnsupportEncryptField"),
])
def test_detect_auth_checks(call, params, code):
    answer = call("faceid", "DetectAuth", {**FACE_BASE, "IdCard": "110101199003070011", **params})
    assert (answer["ok"], answer["error"]["code"]) == (False, code)


@pytest.mark.parametrize(("params", "result"), [
    ({"IdCard": LOWER_X}, "-7"), ({"Name": "张" * 33}, "-8"), ({"Name": ""}, "-8")])
def test_phone_verification_input_results(call, params, result):
    answer = call("faceid", "PhoneVerification", {**CARRIER_BASE, **params})
    assert answer["response"]["Result"] == result


@pytest.mark.parametrize("mode", ["2", "详版", "-1"])
def test_phone_verification_verify_mode_range(call, mode):
    answer = call("faceid", "PhoneVerification", {**CARRIER_BASE, "VerifyMode": mode})
    assert (answer["ok"], answer["error"]["code"]) == (False, "InvalidParameterValue")


def test_phone_verification_simple_mode_has_no_result_detail(call):
    answer = call("faceid", "PhoneVerification", {**CARRIER_BASE, "Phone": "19900990041",
                                                  "VerifyMode": "0"})
    assert answer["response"]["Result"] == "-4"
    assert answer["response"].get("ResultDetail") is None


@pytest.mark.parametrize(("params", "result"), [
    ({"CertType": 1}, "-20"), ({"IdCard": LOWER_X}, "-3"), ({"Name": "张" * 33}, "-2")])
def test_bank_card_input_results(call, params, result):
    answer = call("faceid", "BankCard4EVerification", {**BANK_BASE, **params})
    assert answer["response"]["Result"] == result


def test_bank_card_encrypted_input_is_refused(call):
    answer = call("faceid", "BankCard4EVerification", {
        **BANK_BASE, "Encryption": {"EncryptList": ["BankCard"], "CiphertextBlob": "AQID"}})
    assert (answer["ok"], answer["error"]["code"]) == (False, "FailedOperation.DecryptSystemError")
