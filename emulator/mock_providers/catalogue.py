"""Every result code the mock Tencent actions can answer, how to produce it by a magic value
(the request parameters alone) and by the control API (``POST /_control/next-outcome``).

``docs/providers.md`` carries the table this module renders (``python -m
emulator.mock_providers.catalogue`` prints it); a test keeps the two in sync, and the contract
tests run every row through the official Python and Node.js SDKs both ways.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from .bank.models import MAGIC_PREFIX, MAGIC_SELECTORS
from .bank.models import RESULTS as BANK_RESULTS
from .carrier.models import DETAILS
from .carrier.models import MAGIC_MOBILES as CARRIER_MAGIC
from .carrier.models import RESULTS as CARRIER_RESULTS
from .face.codes import FACE_CODES, magic_id
from .face.models import MAGIC_IDS as FACE_MAGIC_IDS
from .face.models import NAMED_CODES, outcome_for
from .identity import with_luhn_digit
from .sms.models import MAGIC_MOBILES as SMS_MAGIC
from .sms.models import SDK_APP_ID, SIGN_NAME, STATUS

NAME, ID = "张三", "110101199003070011"  # a checksum-valid ID with no magic meaning
CARRIER_BASE = {"Name": NAME, "IdCard": ID, "Phone": "19900990000", "VerifyMode": "1"}
BANK_BASE = {"Name": NAME, "IdCard": ID, "BankCard": with_luhn_digit(MAGIC_PREFIX + "00"),
             "Phone": "13800138000", "CertType": 0}
SMS_BASE = {"PhoneNumberSet": ["+8619900980000"], "SmsSdkAppId": SDK_APP_ID,
            "TemplateId": "1000002", "SignName": SIGN_NAME, "TemplateParamSet": ["123456", "5"]}
FACE_BASE = {"RuleId": "1", "Name": NAME, "RedirectUrl": "https://ca.example/back"}
FACE_QUERY = {"RuleId": "1", "InfoType": "0"}


@dataclass(frozen=True)
class Row:
    """One result code: where it shows, its text, and the two ways to produce it."""

    service: str  # faceid | sms
    action: str  # the action whose answer carries the code
    provider: str  # control-API provider
    forced_action: str  # control-API action (face: DetectAuth completes the session)
    outcome: str
    field: str  # where the code shows
    code: str
    message: str
    magic: dict[str, Any]  # request parameters that produce the code by themselves
    magic_note: str
    # other fields the code comes with
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)


def _sms_rows() -> list[Row]:
    by_outcome = {o: m for m, o in SMS_MAGIC.items()}
    special: dict[str, tuple[dict[str, Any], str]] = {
        "sent": ({}, "any valid mainland number, e.g. `19900980000`"),
        "invalid_number": ({"PhoneNumberSet": ["12345"]},
                           "anything not a mainland mobile or E.164 number; `19900980404`"),
        "sign_unapproved": ({"SignName": "某某公司"}, f"SignName ≠ `{SIGN_NAME}`"),
        "template_unapproved": ({"TemplateId": "9999999"},
                                "TemplateId not 1000001/1000002/1000003"),
        "template_params_mismatch": ({"TemplateParamSet": ["123456"]},
                                     "TemplateParamSet count ≠ the template's"),
        "template_param_format": ({"TemplateParamSet": ["12ab56", "5"]},
                                  "1000001/1000002 with a parameter not 0-6 digits"),
        "sensitive_word": ({"TemplateId": "1000003", "TemplateParamSet": ["代开发票"]},
                           "a parameter with a sensitive word (代开发票, 赌博, 刷单); "
                           "`19900980104`"),  # full-width: no
        "global_phone": ({"PhoneNumberSet": ["+14155550100"]},
                         "an international number (`+1…`) with these mainland templates"),
    }
    rows = []
    for outcome, (code, message) in STATUS.items():
        if outcome in special:
            params, note = special[outcome]
        else:
            mobile = by_outcome[outcome]
            params, note = {"PhoneNumberSet": [f"+86{mobile}"]}, f"`{mobile}`"
        rows.append(Row("sms", "SendSms", "sms", "SendSms", outcome, "SendStatusSet[].Code", code,
                        message, {**SMS_BASE, **params}, note,
                        {"Fee": 0, "SerialNo": ""} if code != "Ok" else {}))
    return rows


def _carrier_rows() -> list[Row]:
    by_outcome = {o: m for m, o in CARRIER_MAGIC.items()}
    special = {"invalid_number": ({"Phone": "1380013"}, "Phone not `1[3-9]` + 9 digits"),
               "invalid_id": ({"IdCard": ID[:-1] + "5"},
                              "IdCard with a wrong check digit or a lower-case `x`"),
               "invalid_name": ({"Name": "张3"}, "Name empty, over 32 characters or with digits")}
    rows = []
    for outcome, (result, description) in CARRIER_RESULTS.items():
        if outcome in special:
            params, note = special[outcome]
        else:
            params, note = {"Phone": by_outcome[outcome]}, f"`{by_outcome[outcome]}`"
        extra = {"ResultDetail": DETAILS[outcome]} if outcome in DETAILS else {}
        if extra:
            note += " (ResultDetail with VerifyMode `1`)"
        rows.append(Row("faceid", "PhoneVerification", "carrier", "PhoneVerification", outcome,
                        "Result", result, description, {**CARRIER_BASE, **params}, note, extra))
    return rows


def _bank_rows() -> list[Row]:
    by_outcome = {o: s for s, o in MAGIC_SELECTORS.items()}
    special = {"invalid_name": ({"Name": ""}, "Name empty, over 32 characters or with digits"),
               "invalid_id": ({"IdCard": "11010119900101901x"},
                              "IdCard with a wrong check digit or a lower-case `x`"),
               "card_format": ({"BankCard": "6222990000000002"},
                               "BankCard not 12–19 digits or a wrong Luhn digit"),
               "invalid_phone": ({"Phone": "1380013"}, "Phone not a mainland mobile")}
    rows = []
    for outcome, (result, description) in BANK_RESULTS.items():
        if outcome in special:
            params, note = special[outcome]
        else:
            card = with_luhn_digit(MAGIC_PREFIX + by_outcome[outcome])
            params, note = {"BankCard": card}, f"`{card}`"
            if outcome == "cert_unsupported":
                note += "; any CertType ≠ 0"
        rows.append(Row("faceid", "BankCard4EVerification", "bank", "BankCard4EVerification",
                        outcome, "Result", result, description, {**BANK_BASE, **params}, note))
    return rows


def _face_rows() -> list[Row]:
    legacy = {outcome: id_number for id_number, outcome in FACE_MAGIC_IDS.items()
              if outcome in NAMED_CODES or outcome == "pending"}
    rows = [Row("faceid", "GetDetectInfoEnhanced", "face", "DetectAuth", "pending",
                "Text.ErrCode", "null", "not scanned / not finished yet (every status null)",
                {**FACE_BASE, "IdCard": legacy["pending"]}, f"IdCard `{legacy['pending']}`")]
    for code, entry in FACE_CODES.items():
        outcome = outcome_for(code)
        note = f"`{magic_id(code)}`"
        if outcome in legacy:
            note = f"`{legacy[outcome]}`, " + note
        rows.append(Row("faceid", "GetDetectInfoEnhanced", "face", "DetectAuth", outcome,
                        "Text.ErrCode", str(code), entry.message,
                        {**FACE_BASE, "IdCard": magic_id(code)}, f"IdCard {note}",
                        {"stage": entry.stage.value}))
    return rows


def rows() -> list[Row]:
    return [*_sms_rows(), *_carrier_rows(), *_bank_rows(), *_face_rows()]


BEGIN, END = "<!-- result-codes:begin -->", "<!-- result-codes:end -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render() -> str:
    """The Markdown table of ``docs/providers.md`` between the result-codes markers."""
    lines = [BEGIN, "", "| Action | Field | Code | Message / Description | Magic value | "
             "`next-outcome` (provider / action / outcome) |", "|---|---|---|---|---|---|"]
    for row in rows():
        detail = ", ".join(f"{k} `{json.dumps(v, ensure_ascii=False)}`"
                           for k, v in row.extra.items() if k != "stage")
        code = f"`{row.code}`" + (f" ({detail})" if detail else "")
        lines.append(f"| {row.action} | {row.field} | {code} | {_cell(row.message)} | "
                     f"{_cell(row.magic_note)} | `{row.provider}` / `{row.forced_action}` / "
                     f"`{row.outcome}` |")
    return "\n".join([*lines, "", END])


if __name__ == "__main__":
    print(render())
