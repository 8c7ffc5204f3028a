"""The verification steps of the real-time flows and the methods each one offers."""

from __future__ import annotations

from enum import StrEnum

from szca_unlock.domain.orders import OrderEvent


class Step(StrEnum):
    OPERATOR = "operator"  # ORG-RT-6 经办人身份认证
    ENTERPRISE = "enterprise"  # ORG-RT-8 企业身份认证
    IDENTITY = "identity"  # PER-RT-5 本人身份验证

    @property
    def label(self) -> str:
        return {"operator": "经办人身份验证", "enterprise": "企业验证",
                "identity": "身份验证"}[self.value]

    @property
    def event(self) -> OrderEvent:
        return {"operator": OrderEvent.VERIFY_OPERATOR,
                "enterprise": OrderEvent.VERIFY_ENTERPRISE,
                "identity": OrderEvent.VERIFY_IDENTITY}[self.value]


class Check(StrEnum):
    """What the service actually runs, whoever the person is."""

    CARRIER = "carrier"
    BANK = "bank"
    FACE = "face"
    DEPOSIT = "deposit"


class Method(StrEnum):
    CARRIER = "carrier"
    BANK = "bank"
    FACE = "face"
    LEGAL_FACE = "legal_face"
    LEGAL_CARRIER = "legal_carrier"
    LEGAL_BANK = "legal_bank"
    DEPOSIT = "deposit"

    @property
    def check(self) -> Check:
        return _CHECKS[self]


_CHECKS = {
    Method.CARRIER: Check.CARRIER, Method.LEGAL_CARRIER: Check.CARRIER,
    Method.BANK: Check.BANK, Method.LEGAL_BANK: Check.BANK,
    Method.FACE: Check.FACE, Method.LEGAL_FACE: Check.FACE,
    Method.DEPOSIT: Check.DEPOSIT,
}

# Labels and order as the manual's drop-downs show them, per step; the default is the value
# each screenshot shows selected (ORG-RT-6: 银联验证, ORG-RT-8: 法人人脸验证, PER-RT-5: 人脸验证).
STEP_METHODS: dict[Step, dict[Method, str]] = {
    Step.OPERATOR: {Method.FACE: "人脸验证", Method.CARRIER: "手机实名", Method.BANK: "银联验证"},
    Step.ENTERPRISE: {Method.LEGAL_FACE: "法人人脸验证", Method.LEGAL_CARRIER: "法人手机实名",
                      Method.LEGAL_BANK: "法人银联验证", Method.DEPOSIT: "企业对公打款"},
    Step.IDENTITY: {Method.FACE: "人脸验证", Method.CARRIER: "手机实名认证",
                    Method.BANK: "银行实名认证"},
}
DEFAULT_METHOD = {Step.OPERATOR: Method.BANK, Step.ENTERPRISE: Method.LEGAL_FACE,
                  Step.IDENTITY: Method.FACE}


def method_label(step: str, method: str) -> str:
    try:
        return STEP_METHODS[Step(step)][Method(method)]
    except (ValueError, KeyError):
        return method
