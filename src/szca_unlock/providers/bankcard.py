"""UnionPay bank-card check, 4 elements (Tencent FaceID ``BankCard4EVerification``, 2018-03-01).

Result codes per https://cloud.tencent.com/document/api/1007/35775 . ``-18`` (验证中心服务繁忙)
is a fault and raises ``ProviderUnavailable``. The SMS code to the bank-reserved mobile that
follows a match is sent by the service through ``SmsClient``, not by this check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from tencentcloud.faceid.v20180301 import faceid_client, models

from szca_unlock.config import ProviderEndpoints
from szca_unlock.logsetup import get_logger, mask_value
from szca_unlock.providers._tencent import TencentCaller, make_client
from szca_unlock.providers.errors import Provider

_log = get_logger("providers.bankcard")


class BankCardOutcome(StrEnum):
    MATCH = "match"
    MISMATCH = "mismatch"
    MOBILE_MISMATCH = "mobile_mismatch"  # -1 refined by its Description (docs/providers.md)
    HOLDER_INFO_INVALID = "holder_info_invalid"
    NO_CARDLESS_PAYMENT = "no_cardless_payment"
    CARD_INVALID = "card_invalid"
    CARD_RESTRICTED = "card_restricted"
    INVALID_NAME = "invalid_name"
    INVALID_ID_NUMBER = "invalid_id_number"
    INVALID_CARD_NUMBER = "invalid_card_number"
    INVALID_MOBILE = "invalid_mobile"
    DAILY_LIMIT = "daily_limit"
    ID_TYPE_UNSUPPORTED = "id_type_unsupported"


_O = BankCardOutcome
_BY_RESULT: dict[str, BankCardOutcome] = {
    "0": _O.MATCH,
    "-1": _O.MISMATCH,
    "-2": _O.INVALID_NAME,
    "-3": _O.INVALID_ID_NUMBER,
    "-4": _O.INVALID_CARD_NUMBER,
    "-5": _O.INVALID_MOBILE,
    "-6": _O.HOLDER_INFO_INVALID,
    "-7": _O.NO_CARDLESS_PAYMENT,
    "-9": _O.CARD_INVALID,
    "-21": _O.CARD_INVALID,
    "-19": _O.DAILY_LIMIT,
    "-20": _O.ID_TYPE_UNSUPPORTED,
    # Card states to settle with the issuing bank:
    # 没收/无发卡行/睡眠卡/吞卡/挂失/过期/受限/密码超限/发卡行不支持.
    **{str(code): _O.CARD_RESTRICTED for code in (-8, -10, -11, -12, -13, -14, -15, -16, -17)},
}
_BUSY_RESULT = "-18"
# Tencent reports every charged mismatch as -1; only the Description says which element failed.
_MOBILE_MISMATCH_MARK = "预留手机号"

_MESSAGES: dict[BankCardOutcome, str] = {
    _O.MATCH: "银行卡信息核验通过",
    _O.MISMATCH: (
        "银行卡信息核验未通过：姓名、身份证号、银行卡号与银行预留手机号不一致，"
        "请核对后重试，预留手机号须为您在发卡银行登记的手机号码"
    ),
    _O.MOBILE_MISMATCH: (
        "银行卡信息核验未通过：您填写的手机号码与该银行卡在发卡银行预留的手机号码不一致，"
        "请填写办卡时在银行预留的手机号码，或联系发卡银行更新预留手机号"
    ),
    _O.HOLDER_INFO_INVALID: "持卡人信息有误，请核对姓名、身份证号与银行预留手机号后重试",
    _O.NO_CARDLESS_PAYMENT: "该银行卡未开通无卡支付（银联在线支付），请开通后重试或更换银行卡",
    _O.CARD_INVALID: "银行卡号无效或卡状态异常，请核对卡号或更换银行卡",
    _O.CARD_RESTRICTED: "该银行卡当前状态不支持核验，请联系发卡银行或更换银行卡",
    _O.INVALID_NAME: "姓名校验不通过，请输入与身份证一致的姓名",
    _O.INVALID_ID_NUMBER: "身份证号码有误，请核对后重新输入",
    _O.INVALID_CARD_NUMBER: "银行卡号格式有误，请核对后重新输入",
    _O.INVALID_MOBILE: "银行预留手机号码不正确，请输入11位手机号码",
    _O.DAILY_LIMIT: "今日银行卡核验次数已达上限，请次日重试或改用其他验证方式",
    _O.ID_TYPE_UNSUPPORTED: "该证件暂不支持银行卡核验，当前仅支持二代居民身份证",
}


@dataclass(frozen=True)
class BankCardResult:
    """UnionPay's answer. ``raw_code`` is Tencent's ``Result``, ``description`` its text."""

    outcome: BankCardOutcome
    raw_code: str
    description: str
    request_id: str
    mobile: str = field(default="", repr=False)

    @property
    def verified(self) -> bool:
        return self.outcome is BankCardOutcome.MATCH

    @property
    def message(self) -> str:
        return _MESSAGES[self.outcome]


class BankCardClient:
    """``verify(name, id_number, card_number, mobile)``: the 4 elements against UnionPay."""

    ACTION = "BankCard4EVerification"

    def __init__(self, endpoints: ProviderEndpoints) -> None:
        self._caller = TencentCaller(
            make_client(faceid_client.FaceidClient, endpoints), Provider.BANK_CARD
        )

    def verify(self, name: str, id_number: str, card_number: str, mobile: str) -> BankCardResult:
        request = models.BankCard4EVerificationRequest()
        request.Name, request.IdCard = name, id_number
        request.BankCard, request.Phone = card_number, mobile
        request.CertType = 0  # 0 = 二代居民身份证
        # Not retried: billed, and counted towards UnionPay's per-card daily limit (-19).
        response = self._caller.invoke(self.ACTION, request)
        raw, outcome = self._caller.result_outcome(
            self.ACTION, response, _BY_RESULT, busy=_BUSY_RESULT
        )
        if outcome is _O.MISMATCH and _MOBILE_MISMATCH_MARK in (response.Description or ""):
            outcome = _O.MOBILE_MISMATCH
        _log.info("bank card check card=%s mobile=%s outcome=%s code=%s",
                  mask_value(card_number), mask_value(mobile), outcome, raw)
        return BankCardResult(
            outcome=outcome,
            raw_code=raw,
            description=response.Description or "",
            request_id=response.RequestId or "",
            mobile=mobile,
        )
