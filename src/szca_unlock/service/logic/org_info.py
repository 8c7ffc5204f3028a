"""ORG-RT-5 (organisation details + legal representative) and ORG-RT-7 (授权委托书)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from szca_unlock.documents.authorization_letter import (
    LETTER_VERSION,
    AuthorizationLetter,
    AuthorizationLetterData,
    build_authorization_letter,
)
from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.domain.errors import DomainError
from szca_unlock.domain.order_form import LetterConfirmation
from szca_unlock.domain.orders import OrderEvent, OrderState
from szca_unlock.service.errors import Conflict
from szca_unlock.service.logic import orders
from szca_unlock.service.logic.identity import check_legal_rep, typed_person
from szca_unlock.service.logic.sessions import Principal
from szca_unlock.store.models_orders import OrderRow
from szca_unlock.store.transitions import apply_transition


def org_order(db: Session, caller: Principal, order_no: str) -> OrderRow:
    order = orders.own_order(db, caller, order_no)
    orders.require_kind(order, CertificateKind.ORG)
    return order


def confirm_org_info(db: Session, caller: Principal, order_no: str, legal_rep_name: str,
                     legal_rep_id_number: str, now: datetime) -> OrderRow:
    order = org_order(db, caller, order_no)
    orders.require_realtime(order)
    typed = typed_person(legal_rep_name, legal_rep_id_number, prefix="legal_rep_")
    check_legal_rep(order, typed, "legal_rep_")
    apply_transition(db, order, OrderEvent.CONFIRM_ORG_INFO, caller.actor, at=now)
    order.legal_rep_name, order.legal_rep_id_number = typed.name, typed.id_number
    return order


_LETTER_STATES = frozenset({OrderState.OPERATOR_VERIFIED, OrderState.AUTHORIZATION_CONFIRMED,
                            OrderState.VERIFIED, OrderState.COMPLETED})


def letter(db: Session, caller: Principal, order_no: str) -> tuple[OrderRow, AuthorizationLetter]:
    """The letter filled in with the verified operator (ID masked)."""
    order = org_order(db, caller, order_no)
    if order.state not in _LETTER_STATES or not order.operator_name:
        raise Conflict("operator_not_verified", "请先完成经办人身份验证，再确认单位授权委托书")
    org = order.certificate.organisation
    assert org is not None
    return order, build_authorization_letter(AuthorizationLetterData(
        organisation_name=org.name, uscc=org.uscc, operator_name=order.operator_name,
        operator_id_number=order.operator_id_number or "",
        operator_mobile=order.operator_mobile or ""))


def confirm_letter(db: Session, caller: Principal, order_no: str, version: str,
                   now: datetime) -> OrderRow:
    order, _ = letter(db, caller, order_no)
    if version != LETTER_VERSION:
        raise DomainError("letter_outdated",
                          "单位授权委托书内容已更新，请刷新页面阅读后重新确认", "version")
    apply_transition(db, order, OrderEvent.CONFIRM_AUTHORIZATION, caller.actor,
                     note=f"授权委托书版本 {version}", at=now)
    order.form = replace(order.form, authorization_letter=LetterConfirmation(version, now))
    return order
