"""The state one scenario carries between its steps, and the vocabulary of the features
(actors, certificate kinds, verification methods) mapped to the service's API values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from emulator.bdd.world import BddWorld
from emulator.personas import Company, Person, PersonaCertificate
from emulator.testing.keys import NEW_PIN, ReaderKey  # noqa: F401  (the steps' PIN)
from szca_unlock.api.errors import ApiError
from szca_unlock.client import ServiceClient
from szca_unlock.domain.verification_methods import METHODS, Step

if TYPE_CHECKING:
    from .driver import Driver

ACTORS = r"(?P<actor>经办人|申请人|法人)"


@dataclass(frozen=True)
class Method:
    label: str  # as the manual names it
    step: str  # operator | enterprise | identity (the service's verification step)
    api: str  # the service's method value
    role: str  # whose identity is checked: operator | legal_rep | holder
    provider: str  # the mock provider that must have been asked


# Whose identity each step checks (the cast's roles).
_ROLE = {Step.OPERATOR: "operator", Step.ENTERPRISE: "legal_rep", Step.IDENTITY: "holder"}
# The service's table of methods, by the labels the features use; each check runs at the
# mock provider of the same name.
_METHODS = tuple(Method(row.label, row.step.value, row.method.value, _ROLE[row.step],
                        row.check.value) for row in METHODS)


def method_for(label: str, actor: str) -> Method:
    """"人脸验证" is the operator's check for 经办人 and the applicant's own for 申请人."""
    wanted_step = "identity" if actor == "申请人" else None
    for method in _METHODS:
        if method.label == label and (wanted_step is None or method.step == wanted_step):
            if wanted_step is None and method.step == "identity":
                continue
            return method
    raise KeyError(f"unknown verification method {label!r} for {actor}")


def body_of(value: Any) -> Any:
    """A typed answer as the JSON the page received (the steps compare plain values)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [body_of(item) for item in value]
    return value


@dataclass(frozen=True)
class Answer:
    """What the page shows after an action: the answer, or the service's refusal."""

    status: int | None  # None: a refusal shown on a page (a page shows no HTTP status)
    body: Any

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 300

    @property
    def error(self) -> dict[str, Any]:
        if self.ok or not isinstance(self.body, dict) or "error" not in self.body:
            raise AssertionError(f"expected an error answer, got {self.status}: {self.body}")
        return dict(self.body["error"])

    def text(self) -> str:
        """Everything the page shows for an error: message plus help."""
        error = self.error
        return f"{error.get('message', '')} {error.get('help') or ''}"


def answer_of(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Answer:
    """Call the typed client; a refusal (``ApiError``) becomes an error answer."""
    try:
        value = call(*args, **kwargs)
    except ApiError as refusal:
        return Answer(refusal.status, {"error": {
            "code": refusal.code, "message": refusal.message, "field": refusal.field,
            "help": refusal.help}})
    return Answer(200, body_of(value))


@dataclass
class Pending:
    """A verification started and not yet passed: what the user typed and was sent."""

    method: Method
    person: Person
    mobile: str | None
    body: dict[str, Any]
    answer: dict[str, Any]
    # The providers' clock when it started: only SMS sent since then count.
    since: float = 0.0


@dataclass
class Ctx:
    world: BddWorld
    client: ServiceClient  # the user's session through the API (one login)
    # how the user acts: the API (default), or the pages in a browser (driver.py)
    driver: Driver = field(default_factory=lambda: _api_driver())
    persona: PersonaCertificate | None = None  # the certificate of the key being unlocked
    keys: list[ReaderKey] = field(default_factory=list)  # 第一把, 第二把
    key: ReaderKey | None = None  # the key in the reader for this flow
    order_no: str | None = None
    pending: Pending | None = None
    reached: Method | None = None  # the verification step the scenario has gone to
    attempt: Answer | None = None  # the answer the 那么 steps look at
    deposit_code: str | None = None  # what finance read off the statement remark
    login_since: float | None = None  # the providers' clock when the login code was asked
    application_pdf: bytes = b""  # the printed 申请表 (ORG-MR-6 / PER-MR)
    uploaded: dict[str, list[str]] = field(default_factory=dict)  # slot → sha256 of each file

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

    def act(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Answer:
        """Do what the user does and keep the answer for the 那么 steps."""
        return self.remember(answer_of(call, *args, **kwargs))

    def order(self) -> dict[str, Any]:
        assert self.order_no, "no order opened yet"
        return dict(body_of(self.client.get_order(self.order_no)))


def _api_driver() -> Driver:
    from .driver import ApiDriver  # driver.py builds on this module's Answer

    return ApiDriver()

