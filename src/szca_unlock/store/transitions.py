"""Moving an order through the state machine and writing its audit row, as one unit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from szca_unlock.domain.orders import OrderEvent, TransitionRecord, transition
from szca_unlock.store.base import utcnow
from szca_unlock.store.models_orders import OrderRow, OrderTransitionRow

_NEW_ROUND = frozenset({OrderEvent.SUBMIT, OrderEvent.RESUBMIT})


def apply_transition(session: Session, order: OrderRow, event: OrderEvent, actor: str,
                     note: str | None = None, *, at: datetime | None = None) -> TransitionRecord:
    """Apply ``event`` to ``order`` and add the audit row in the caller's transaction.

    The domain decides first, so an illegal event (``IllegalTransition``) changes nothing;
    if writing the audit row fails, the surrounding ``Database.session()`` rolls back the
    state change with it.
    """
    record = transition(order.state, event, mode=order.mode, kind=order.certificate.kind,
                        actor=actor, at=at or utcnow(), note=note)
    order.state = record.to_state
    order.updated_at = record.at
    if event in _NEW_ROUND:
        order.review_round += 1
    session.add(OrderTransitionRow(order_id=order.id, from_state=record.from_state,
                                   to_state=record.to_state, event=record.event,
                                   actor=record.actor, at=record.at, note=record.note))
    session.flush()
    return record
