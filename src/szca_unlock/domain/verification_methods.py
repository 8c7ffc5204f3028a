"""The verification steps of the real-time flows and the methods each one offers: one
table (``METHODS``) that the service, the typed client, the CLI, the load users and the
test personas all read. Adding a method that runs an existing check is one row here.

A *method* is what the user picks in a step's drop-down (``legal_bank``); a *check* is
what the service actually runs, whoever the person is (``bank``), with the form fields it
needs and how the user then proves it (a texted code, a face scan, a remark code).
"""

from __future__ import annotations

from dataclasses import dataclass
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


class Proof(StrEnum):
    """How the user completes a check once it started."""

    SMS_CODE = "sms_code"  # a code texted to the mobile just checked
    FACE = "face"  # a liveness scan in WeChat, polled by the service
    REMARK_CODE = "remark_code"  # the 6 digits in the remark of a 0.01 transfer


class Check(StrEnum):
    """What the service actually runs, whoever the person is."""

    CARRIER = "carrier"
    BANK = "bank"
    FACE = "face"
    DEPOSIT = "deposit"

    @property
    def fields(self) -> tuple[str, ...]:
        """The start form's fields besides the person's name and ID number."""
        return _CHECK_FIELDS[self]

    @property
    def proof(self) -> Proof:
        return _CHECK_PROOF[self]


_CHECK_FIELDS: dict[Check, tuple[str, ...]] = {
    Check.CARRIER: ("mobile",),  # the real-name mobile
    Check.BANK: ("bank_card", "mobile"),  # the card and the mobile the bank keeps
    Check.FACE: (),
    Check.DEPOSIT: ("bank_name", "branch_name", "account_number"),  # the corporate account
}
_CHECK_PROOF = {Check.CARRIER: Proof.SMS_CODE, Check.BANK: Proof.SMS_CODE,
                Check.FACE: Proof.FACE, Check.DEPOSIT: Proof.REMARK_CODE}


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


@dataclass(frozen=True)
class MethodRow:
    """One entry of a step's drop-down, labelled as the manual shows it, with the hint the
    page shows under it."""

    step: Step
    method: Method
    check: Check
    label: str
    hint: str


_FACE_HINT = "使用微信扫一扫功能，在线进行活体认证"
_CARRIER_HINT = "提供本人实名手机号，随机码发送到本人手机号码上，输入随机码进行验证"
_BANK_HINT = "提供本人银行账户信息，随机码发送到本人在银行预留的手机号码上，输入随机码进行验证"

# Labels and order as the manual's drop-downs show them, per step.
METHODS: tuple[MethodRow, ...] = (
    MethodRow(Step.OPERATOR, Method.FACE, Check.FACE, "人脸验证", _FACE_HINT),
    MethodRow(Step.OPERATOR, Method.CARRIER, Check.CARRIER, "手机实名", _CARRIER_HINT),
    MethodRow(Step.OPERATOR, Method.BANK, Check.BANK, "银联验证", _BANK_HINT),
    MethodRow(Step.ENTERPRISE, Method.LEGAL_FACE, Check.FACE, "法人人脸验证",
              "法人本人使用微信扫一扫功能，在线进行活体认证"),
    MethodRow(Step.ENTERPRISE, Method.LEGAL_CARRIER, Check.CARRIER, "法人手机实名",
              "提供法人实名手机号，随机码发送到法人手机号码上，输入随机码进行验证"),
    MethodRow(Step.ENTERPRISE, Method.LEGAL_BANK, Check.BANK, "法人银联验证",
              "提供法人银行账户信息，随机码发送到法人在银行预留的手机号码上，输入随机码进行验证"),
    MethodRow(Step.ENTERPRISE, Method.DEPOSIT, Check.DEPOSIT, "企业对公打款",
              "输入企业对公账户信息，深圳CA将向贵司对公账户下发0.01元，备注随机码。"
              "请及时向贵司财务获取"),
    MethodRow(Step.IDENTITY, Method.FACE, Check.FACE, "人脸验证", _FACE_HINT),
    MethodRow(Step.IDENTITY, Method.CARRIER, Check.CARRIER, "手机实名认证", _CARRIER_HINT),
    MethodRow(Step.IDENTITY, Method.BANK, Check.BANK, "银行实名认证", _BANK_HINT),
)

_CHECKS: dict[Method, Check] = {row.method: row.check for row in METHODS}
STEP_METHODS: dict[Step, dict[Method, str]] = {
    step: {row.method: row.label for row in METHODS if row.step is step} for step in Step}
# The value each screenshot shows selected (ORG-RT-6: 银联验证, ORG-RT-8: 法人人脸验证,
# PER-RT-5: 人脸验证).
DEFAULT_METHOD = {Step.OPERATOR: Method.BANK, Step.ENTERPRISE: Method.LEGAL_FACE,
                  Step.IDENTITY: Method.FACE}


def rows_of(step: Step) -> tuple[MethodRow, ...]:
    """The rows of a step's drop-down, in the manual's order."""
    return tuple(row for row in METHODS if row.step is step)


def methods_of(step: Step | str) -> list[str]:
    """The method values a step offers, in the manual's order (the CLI's choices)."""
    return [m.value for m in STEP_METHODS[Step(step)]]


def method_label(step: str, method: str) -> str:
    try:
        return STEP_METHODS[Step(step)][Method(method)]
    except (ValueError, KeyError):
        return method


@dataclass(frozen=True, slots=True)
class VerificationRequest:
    """A start of one check as the user asked for it: the method, the person, and the
    fields of ``Check.fields`` (the others stay ``None``; the check says which is missing)."""

    method: Method
    name: str
    id_number: str
    mobile: str | None = None
    bank_card: str | None = None
    bank_name: str | None = None
    branch_name: str | None = None
    account_number: str | None = None
