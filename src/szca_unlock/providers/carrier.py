"""Carrier real-name check, 3 elements (Tencent FaceID ``PhoneVerification``, 2018-03-01).

Result codes per https://cloud.tencent.com/document/api/1007/39765 . ``-11`` (验证中心服务繁忙)
is a fault, not an outcome: it raises ``ProviderUnavailable`` like a timeout does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from tencentcloud.faceid.v20180301 import faceid_client, models

from szca_unlock.config import ProviderEndpoints
from szca_unlock.logsetup import get_logger, mask_value
from szca_unlock.providers._tencent import TencentCaller, make_client
from szca_unlock.providers.errors import Provider

_log = get_logger("providers.carrier")


class CarrierOutcome(StrEnum):
    MATCH = "match"
    MISMATCH = "mismatch"
    INVALID_MOBILE = "invalid_mobile"
    INVALID_ID_NUMBER = "invalid_id_number"
    INVALID_NAME = "invalid_name"
    NO_RECORD = "no_record"
    DAILY_LIMIT = "daily_limit"
    UNSUPPORTED_NUMBER = "unsupported_number"


_BY_RESULT: dict[str, CarrierOutcome] = {
    "0": CarrierOutcome.MATCH,
    "-4": CarrierOutcome.MISMATCH,
    "-6": CarrierOutcome.INVALID_MOBILE,
    "-7": CarrierOutcome.INVALID_ID_NUMBER,
    "-8": CarrierOutcome.INVALID_NAME,
    "-9": CarrierOutcome.NO_RECORD,
    "-12": CarrierOutcome.DAILY_LIMIT,
    "-13": CarrierOutcome.UNSUPPORTED_NUMBER,
}
_BUSY_RESULT = "-11"

_CARRIER_APPS = {"移动": "中国移动", "联通": "中国联通", "电信": "中国电信"}

# FAQ-1 of the manual: the mismatch comes from the carrier's real-name records of that mobile.
_MISMATCH_TEMPLATE = (
    "手机实名认证未通过：{carrier}登记的该手机号码实名信息与您填写的姓名、身份证号不一致。"
    "请登录手机号码对应的{carrier}APP，在个人账户信息中查找实名认证结果，再与网上营业厅所填写信息进行对比；"
    "如不符，应先联系{carrier}进行实名信息认证后，再进行数字证书办理。"
)
_MESSAGES: dict[CarrierOutcome, str] = {
    CarrierOutcome.MATCH: "手机实名认证通过",
    CarrierOutcome.INVALID_MOBILE: "手机号码不正确，请输入本人实名登记的11位手机号码",
    CarrierOutcome.INVALID_ID_NUMBER: "身份证号码有误，请核对后重新输入",
    CarrierOutcome.INVALID_NAME: "姓名校验不通过，请输入与身份证一致的姓名",
    CarrierOutcome.NO_RECORD: (
        "运营商未查询到该手机号码的实名登记记录，请确认手机号码已实名登记，或改用其他验证方式"
    ),
    CarrierOutcome.DAILY_LIMIT: "今日手机实名认证次数已达上限，请次日重试或改用其他验证方式",
    CarrierOutcome.UNSUPPORTED_NUMBER: "该手机号段暂不支持实名认证，请改用其他验证方式",
}


@dataclass(frozen=True)
class CarrierResult:
    """The carrier's answer.

    ``raw_code`` is Tencent's ``Result``; ``isp`` is 移动/联通/电信 or "" (unknown).
    """

    outcome: CarrierOutcome
    raw_code: str
    description: str
    isp: str
    request_id: str
    result_detail: str | None = None
    mobile: str = field(default="", repr=False)

    @property
    def verified(self) -> bool:
        return self.outcome is CarrierOutcome.MATCH

    @property
    def mismatch_from_carrier(self) -> bool:
        """True when the carrier's own real-name records disagree (FAQ-1 applies)."""
        return self.outcome is CarrierOutcome.MISMATCH

    @property
    def carrier_name(self) -> str:
        """中国移动 / 中国联通 / 中国电信, or 电信运营商 when the carrier is not known."""
        return _CARRIER_APPS.get(self.isp, "电信运营商")

    @property
    def message(self) -> str:
        """What the user is told, in Chinese."""
        if self.outcome is CarrierOutcome.MISMATCH:
            return _MISMATCH_TEMPLATE.format(carrier=self.carrier_name)
        return _MESSAGES[self.outcome]


class CarrierClient:
    """``verify(name, id_number, mobile)`` against the carrier's real-name records."""

    ACTION = "PhoneVerification"

    def __init__(self, endpoints: ProviderEndpoints) -> None:
        self._caller = TencentCaller(
            make_client(faceid_client.FaceidClient, endpoints), Provider.CARRIER
        )

    def verify(self, name: str, id_number: str, mobile: str) -> CarrierResult:
        request = models.PhoneVerificationRequest()
        request.Name, request.IdCard, request.Phone = name, id_number, mobile
        # Not retried: each call is billed and counts towards the daily limit (-12).
        response = self._caller.invoke(self.ACTION, request)
        raw, outcome = self._caller.result_outcome(
            self.ACTION, response, _BY_RESULT, busy=_BUSY_RESULT
        )
        _log.info("carrier check mobile=%s outcome=%s code=%s", mask_value(mobile), outcome, raw)
        return CarrierResult(
            outcome=outcome,
            raw_code=raw,
            description=response.Description or "",
            isp=response.Isp or "",
            request_id=response.RequestId or "",
            result_detail=response.ResultDetail,
            mobile=mobile,
        )
