"""UnionPay 4 elements backend: name + ID + card + bank-reserved mobile vs the banks' records."""

from __future__ import annotations

from dataclasses import dataclass

from ..identity import card_ok, id_number_ok, name_ok, normalise_mobile
from ..records import IdentityRecords

# outcome -> (Result, Description); codes from the faceid BankCard4EVerification docs.
# mobile_mismatch is Tencent's -1 with a Description naming the reserved mobile (docs/providers.md).
RESULTS: dict[str, tuple[str, str]] = {
    "match": ("0", "认证通过"),
    "mismatch": ("-1", "认证未通过"),
    "mobile_mismatch": ("-1", "认证未通过：银行预留手机号不一致"),
    "invalid_name": ("-2", "姓名校验不通过"),
    "invalid_id": ("-3", "身份证号码有误"),
    "card_format": ("-4", "银行卡号格式有误"),
    "invalid_phone": ("-5", "手机号码不合法"),
    "holder_info": ("-6", "持卡人信息有误"),
    "no_card_payment": ("-7", "未开通无卡支付"),
    "card_confiscated": ("-8", "此卡被没收"),
    "card_invalid": ("-9", "无效卡号"),
    "no_issuer": ("-10", "此卡无对应发卡行"),
    "card_dormant": ("-11", "该卡未初始化或睡眠卡"),
    "card_swallowed": ("-12", "作弊卡、吞卡"),
    "card_lost": ("-13", "此卡已挂失"),
    "card_expired": ("-14", "该卡已过期"),
    "restricted": ("-15", "受限制的卡"),
    "pin_tries_exceeded": ("-16", "密码错误次数超限"),
    "issuer_unsupported": ("-17", "发卡行不支持此交易"),
    "busy": ("-18", "验证中心服务繁忙"),
    "daily_limit": ("-19", "验证次数超限，请次日重试"),
    "cert_unsupported": ("-20", "该证件号暂不支持核验，当前仅支持二代身份证"),
    "card_abnormal": ("-21", "卡状态异常或卡号错误"),
}
MAGIC_PREFIX = "6222990000000"  # + 2-digit selector + Luhn check digit
MAGIC_SELECTORS = {"00": "match", "01": "mismatch", "99": "mobile_mismatch", "06": "holder_info",
                   "07": "no_card_payment", "08": "card_confiscated", "09": "card_invalid",
                   "10": "no_issuer", "11": "card_dormant", "12": "card_swallowed",
                   "13": "card_lost", "14": "card_expired", "15": "restricted",
                   "16": "pin_tries_exceeded", "17": "issuer_unsupported", "18": "busy",
                   "19": "daily_limit", "20": "cert_unsupported", "21": "card_abnormal"}
ID_CARD = 0  # CertType: 0 = 二代身份证, the only type Tencent verifies
OUTCOMES = frozenset(RESULTS)


@dataclass(frozen=True)
class BankVerdict:
    outcome: str
    result: str
    description: str


class BankBackend:
    def __init__(self, records: IdentityRecords) -> None:
        self._records = records

    def reset(self) -> None:
        """Stateless apart from the shared records (reset by the state)."""

    def verify(self, *, name: str, id_number: str, card_number: str, phone: str,
               cert_type: int = ID_CARD, forced: str | None = None) -> BankVerdict:
        outcome = forced or ("cert_unsupported" if cert_type != ID_CARD else
                             self._decide(name, id_number, card_number.strip(), phone))
        result, description = RESULTS[outcome]
        return BankVerdict(outcome, result, description)

    def _decide(self, name: str, id_number: str, card: str, phone: str) -> str:
        mobile = normalise_mobile(phone) if phone.isdigit() else None
        if not name_ok(name):
            return "invalid_name"
        if not id_number_ok(id_number):
            return "invalid_id"
        if not card_ok(card):
            return "card_format"
        if mobile is None:
            return "invalid_phone"
        if card.startswith(MAGIC_PREFIX) and len(card) == len(MAGIC_PREFIX) + 3:
            selector = card[len(MAGIC_PREFIX):len(MAGIC_PREFIX) + 2]
            if selector in MAGIC_SELECTORS:
                return MAGIC_SELECTORS[selector]
        record = self._records.bank.get(card)
        if record is None:
            return "card_invalid"
        if record.name != name.strip() or record.id_number != id_number:
            return "mismatch"
        return "match" if record.mobile == mobile else "mobile_mismatch"
