"""Carrier real-name (3 elements) backend: name + ID number + mobile vs the carrier's records."""

from __future__ import annotations

from dataclasses import dataclass

from ..identity import id_number_ok, isp_of, name_ok, normalise_mobile
from ..records import IdentityRecords

# outcome -> (Result, Description); codes from the faceid PhoneVerification docs
RESULTS: dict[str, tuple[str, str]] = {
    "match": ("0", "认证通过"),
    "mismatch": ("-4", "三要素信息不一致"),
    "mismatch_name": ("-4", "三要素信息不一致"),
    "mismatch_id": ("-4", "三要素信息不一致"),
    "mismatch_name_id": ("-4", "三要素信息不一致"),
    "mismatch_name_idcard": ("-4", "三要素信息不一致"),
    "invalid_number": ("-6", "手机号码不合法"),
    "invalid_id": ("-7", "身份证号码有误"),
    "invalid_name": ("-8", "姓名校验不通过"),
    "no_record": ("-9", "没有记录"),
    "busy": ("-11", "验证中心服务繁忙"),
    "daily_limit": ("-12", "认证次数超过当日限制，请次日重试"),
    "unsupported_segment": ("-13", "该号段不支持验证"),
}
# VerifyMode 1 (详版) names the element that disagrees (PhoneVerificationResponse.ResultDetail)
DETAILS = {"mismatch": "OtherMismatch", "mismatch_name": "PhoneNameMismatch",
           "mismatch_id": "PhoneIdCardMismatch", "mismatch_name_id": "PhoneNameIdCardMismatch",
           "mismatch_name_idcard": "NameIdCardMismatch"}
MAGIC_MOBILES = {"19900990000": "match", "19900990004": "mismatch",
                 "19900990041": "mismatch_name", "19900990042": "mismatch_id",
                 "19900990043": "mismatch_name_id", "19900990044": "mismatch_name_idcard",
                 "19900990009": "no_record", "19900990011": "busy", "19900990012": "daily_limit",
                 "19900990013": "unsupported_segment"}
VERIFY_MODES = ("0", "1")
OUTCOMES = frozenset(RESULTS)


@dataclass(frozen=True)
class CarrierVerdict:
    outcome: str
    result: str
    description: str
    isp: str
    result_detail: str | None


class CarrierBackend:
    def __init__(self, records: IdentityRecords) -> None:
        self._records = records

    def reset(self) -> None:
        """Stateless apart from the shared records (reset by the state)."""

    def verify(self, *, name: str, id_number: str, phone: str, detailed: bool = False,
               forced: str | None = None) -> CarrierVerdict:
        mobile = normalise_mobile(phone) if phone.isdigit() else None
        if forced:
            outcome = forced
        elif mobile is None:
            outcome = "invalid_number"
        elif not id_number_ok(id_number):
            outcome = "invalid_id"
        elif not name_ok(name):
            outcome = "invalid_name"
        elif mobile in MAGIC_MOBILES:
            outcome = MAGIC_MOBILES[mobile]
        else:
            outcome = self._against_records(mobile, name, id_number)
        result, description = RESULTS[outcome]
        isp = isp_of(mobile) if mobile else ""
        return CarrierVerdict(outcome, result, description, isp,
                              DETAILS.get(outcome) if detailed else None)

    def _against_records(self, mobile: str, name: str, id_number: str) -> str:
        record = self._records.carrier.get(mobile)
        if record is None:
            return "no_record"
        name_same, id_same = record.name == name.strip(), record.id_number == id_number
        if name_same and id_same:
            return "match"
        if id_same:
            return "mismatch_name"
        if name_same:
            return "mismatch_id"
        return "mismatch_name_id"
