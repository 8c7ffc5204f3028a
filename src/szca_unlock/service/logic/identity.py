"""Whose identity a step checks, and the rule that what was typed equals the CA's record."""

from __future__ import annotations

from dataclasses import dataclass

from szca_unlock.domain.errors import DomainError
from szca_unlock.domain.validators import validate_person_name, validate_resident_id
from szca_unlock.domain.verification_methods import Step
from szca_unlock.store.models_orders import OrderRow


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str

    def __repr__(self) -> str:
        return f"Person(name={self.name!r}, id_number='***{self.id_number[-4:]}')"


def typed_person(name: str, id_number: str, *, prefix: str = "") -> Person:
    """Validate the format of a typed name + resident ID (field names as in the request)."""
    return Person(validate_person_name(name, field=f"{prefix}name"),
                  validate_resident_id(id_number, field=f"{prefix}id_number").number)


def _must_equal(typed: Person, on_record: Person, who: str, field_prefix: str = "") -> None:
    if typed.name != on_record.name:
        raise DomainError("identity_mismatch",
                          f"{who}姓名与证书登记信息不一致，请按证书登记信息填写",
                          f"{field_prefix}name")
    if typed.id_number != on_record.id_number:
        raise DomainError("identity_mismatch",
                          f"{who}身份证号码与证书登记信息不一致，请核对后重新输入",
                          f"{field_prefix}id_number")


def legal_rep_on_record(order: OrderRow) -> Person:
    org = order.certificate.organisation
    assert org is not None  # ORG certificates always have one (domain invariant)
    return Person(org.legal_rep_name, org.legal_rep_id_number)


def check_legal_rep(order: OrderRow, typed: Person, field_prefix: str = "") -> None:
    _must_equal(typed, legal_rep_on_record(order), "法定代表人", field_prefix)


def person_for_step(order: OrderRow, step: Step, typed: Person) -> Person:
    """The person the provider checks for ``step``; refuses a typed identity that differs
    from the one the CA holds (holder, legal representative). The operator is not on
    record: the provider check itself decides."""
    if step is Step.IDENTITY:
        holder = order.certificate.holder
        assert holder is not None  # personal certificates always have one
        _must_equal(typed, Person(holder.name, holder.id_number), "申请人")
    elif step is Step.ENTERPRISE:
        check_legal_rep(order, typed)
        if order.legal_rep_id_number and order.legal_rep_id_number != typed.id_number:
            raise DomainError("identity_mismatch", "法人信息与单位信息确认时填写的不一致",
                              "id_number")
    return typed
