"""apply_transition: state and audit row change together or not at all."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from store_fixtures import NOW, OpenOrder

from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.domain.orders import IllegalTransition, OrderEvent, OrderMode, OrderState
from szca_unlock.store import Database, apply_transition
from szca_unlock.store.models import OrderTransitionRow
from szca_unlock.store.repo_orders import get_order, list_transitions


def _audit_count(db: Database) -> int:
    with db.session(readonly=True) as s:
        return s.scalar(select(func.count()).select_from(OrderTransitionRow)) or 0


def test_org_realtime_chain_writes_the_audit_trail(db: Database, open_order: OpenOrder) -> None:
    order_no = open_order(OrderMode.REALTIME, kind=CertificateKind.ORG)
    events = [OrderEvent.CONFIRM_ORG_INFO, OrderEvent.VERIFY_OPERATOR,
              OrderEvent.CONFIRM_AUTHORIZATION, OrderEvent.VERIFY_ENTERPRISE,
              OrderEvent.COMPLETE_UNLOCK]
    for event in events:
        with db.session() as s:
            apply_transition(s, get_order(s, order_no), event, "13800138000", at=NOW)
    with db.session(readonly=True) as s:
        order = get_order(s, order_no)
        trail = list_transitions(s, order)
    assert order.state is OrderState.COMPLETED
    assert [t.event for t in trail] == events
    assert trail[0].from_state is OrderState.DRAFT
    assert all(t.actor == "13800138000" and t.at == NOW for t in trail)


def test_illegal_transition_writes_nothing(db: Database, open_order: OpenOrder) -> None:
    order_no = open_order(OrderMode.REALTIME, kind=CertificateKind.ORG)
    with pytest.raises(IllegalTransition), db.session() as s:
        apply_transition(s, get_order(s, order_no), OrderEvent.VERIFY_IDENTITY, "13800138000")
    with db.session(readonly=True) as s:
        assert get_order(s, order_no).state is OrderState.DRAFT
    assert _audit_count(db) == 0


def test_failed_audit_write_rolls_the_state_back(db: Database, open_order: OpenOrder) -> None:
    order_no = open_order(OrderMode.MANUAL, kind=CertificateKind.NATURAL)
    with pytest.raises(IntegrityError), db.session() as s:
        # A NULL actor violates NOT NULL on the audit row, after the state was set.
        apply_transition(s, get_order(s, order_no), OrderEvent.SUBMIT, None)  # type: ignore[arg-type]
    with db.session(readonly=True) as s:
        order = get_order(s, order_no)
        assert (order.state, order.review_round) == (OrderState.DRAFT, 0)
    assert _audit_count(db) == 0


def test_later_failure_in_the_same_transaction_undoes_the_transition(
        db: Database, open_order: OpenOrder) -> None:
    order_no = open_order(OrderMode.REALTIME, kind=CertificateKind.ORG_PERSONAL)
    with pytest.raises(RuntimeError), db.session() as s:
        apply_transition(s, get_order(s, order_no), OrderEvent.VERIFY_IDENTITY, "13800138000")
        raise RuntimeError("provider call failed after the state change")
    with db.session(readonly=True) as s:
        assert get_order(s, order_no).state is OrderState.DRAFT
    assert _audit_count(db) == 0


def test_reject_note_is_audited_and_rounds_are_counted(db: Database, open_order: OpenOrder) -> None:
    order_no = open_order(OrderMode.MANUAL, kind=CertificateKind.ORG)
    with db.session() as s:
        order = get_order(s, order_no)
        apply_transition(s, order, OrderEvent.SUBMIT, "13800138000")
        apply_transition(s, order, OrderEvent.REJECT, "staff:reviewer1", "申请表未加盖公章")
        apply_transition(s, order, OrderEvent.RESUBMIT, "13800138000")
    with db.session(readonly=True) as s:
        order = get_order(s, order_no)
        trail = list_transitions(s, order)
    assert order.review_round == 2
    assert trail[1].note == "申请表未加盖公章"
    assert order.state is OrderState.SUBMITTED
