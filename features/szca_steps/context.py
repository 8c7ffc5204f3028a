"""The state one scenario carries between its steps, and the vocabulary of the features
(actors, certificate kinds, verification methods) mapped to the service's API values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from emulator.bdd.browser import Answer, Browser
from emulator.bdd.cards import UserKey
from emulator.bdd.world import BddWorld
from emulator.personas import Company, Person, PersonaCertificate

NEW_PIN = "Sz2026ok"
ACTORS = r"(?P<actor>经办人|申请人|法人)"


@dataclass(frozen=True)
class Method:
    label: str  # as the manual names it
    step: str  # operator | enterprise | identity (the service's verification step)
    api: str  # the service's method value
    role: str  # whose identity is checked: operator | legal_rep | holder
    provider: str  # the mock provider that must have been asked


_METHODS = (
    Method("手机实名", "operator", "carrier", "operator", "carrier"),
    Method("银联验证", "operator", "bank", "operator", "bank"),
    Method("人脸验证", "operator", "face", "operator", "face"),
    Method("法人人脸验证", "enterprise", "legal_face", "legal_rep", "face"),
    Method("法人手机实名", "enterprise", "legal_carrier", "legal_rep", "carrier"),
    Method("法人银联验证", "enterprise", "legal_bank", "legal_rep", "bank"),
    Method("企业对公打款", "enterprise", "deposit", "legal_rep", "deposit"),
    Method("人脸验证", "identity", "face", "holder", "face"),
    Method("手机实名认证", "identity", "carrier", "holder", "carrier"),
    Method("银行实名认证", "identity", "bank", "holder", "bank"),
)


def method_for(label: str, actor: str) -> Method:
    """"人脸验证" is the operator's check for 经办人 and the applicant's own for 申请人."""
    wanted_step = "identity" if actor == "申请人" else None
    for method in _METHODS:
        if method.label == label and (wanted_step is None or method.step == wanted_step):
            if wanted_step is None and method.step == "identity":
                continue
            return method
    raise KeyError(f"unknown verification method {label!r} for {actor}")


@dataclass
class Pending:
    """A verification started and not yet passed: what the user typed and was sent."""

    method: Method
    person: Person
    mobile: str | None
    body: dict[str, Any]
    answer: dict[str, Any]


@dataclass
class Ctx:
    world: BddWorld
    browser: Browser
    persona: PersonaCertificate | None = None  # the certificate of the key being unlocked
    keys: list[UserKey] = field(default_factory=list)  # 第一把, 第二把
    key: UserKey | None = None  # the key in the reader for this flow
    order_no: str | None = None
    pending: Pending | None = None
    attempt: Answer | None = None  # the answer the 那么 steps look at
    deposit_code: str | None = None  # what finance read off the statement remark
    application_pdf: bytes = b""  # the printed 申请表 (ORG-MR-6 / PER-MR)

    @property
    def company(self) -> Company:
        assert self.persona is not None and self.persona.company is not None, "no company"
        return self.persona.company

    def person(self, actor_or_role: str) -> Person:
        assert self.persona is not None, "no certificate chosen yet"
        if actor_or_role in ("经办人", "operator"):
            return self.company.operator
        if actor_or_role in ("法人", "legal_rep"):
            return self.company.legal_rep
        if self.persona.holder is None:  # 机构证书: the applicant is the operator
            return self.company.operator
        return self.persona.holder

    def remember(self, answer: Answer) -> Answer:
        self.attempt = answer
        return answer

    def order(self) -> dict[str, Any]:
        assert self.order_no, "no order opened yet"
        return dict(self.browser.ok("GET", f"/orders/{self.order_no}"))
