"""Moving an order through the state machine and writing its audit row, as one unit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from szca_unlock.domain.orders import OrderEvent, OrderState, TransitionRecord, transition
from szca_unlock.store.base import utcnow
from szca_unlock.store.errors import CertificateClaimed
from szca_unlock.store.models_orders import OrderRow, OrderTransitionRow
from szca_unlock.store.repo_orders import list_open_orders_for_certificate

_NEW_ROUND = frozenset({OrderEvent.SUBMIT, OrderEvent.RESUBMIT})
# An order in these states has passed identity verification (real-time) or review
# (manual): it holds its certificate, and no other order on it may go on.
CLAIMING = frozenset({OrderState.VERIFIED, OrderState.APPROVED})
SYSTEM_ACTOR = "system"
SUPERSEDED_NOTE = "该证书已由其他账号完成身份验证，本业务单已自动关闭"


def apply_transition(session: Session, order: OrderRow, event: OrderEvent, actor: str,
                     note: str | None = None, *, at: datetime | None = None) -> TransitionRecord:
    """Apply ``event`` to ``order`` and add the audit row in the caller's transaction.

    The domain decides first, so an illegal event (``IllegalTransition``) changes nothing;
    if writing the audit row fails, the surrounding ``Database.session()`` rolls back the
    state change with it.
    """
    record = transition(order.state, event, mode=order.mode, kind=order.certificate.kind,
                        actor=actor, at=at or utcnow(), note=note)
    if record.to_state in CLAIMING:
        _claim_certificate(session, order, record.at)
    order.state = record.to_state
    order.updated_at = record.at
    if event in _NEW_ROUND:
        order.review_round += 1
    session.add(OrderTransitionRow(order_id=order.id, from_state=record.from_state,
                                   to_state=record.to_state, event=record.event,
                                   actor=record.actor, at=record.at, note=record.note))
    session.flush()
    return record


def _claim_certificate(session: Session, order: OrderRow, at: datetime) -> None:
    """The first order on a certificate to pass verification wins: the others (opened by
    other logins, none verified) are closed in the same transaction. Opening an order
    locks the certificate row, and so does this: a racing pass waits, then is refused."""
    others = [o for o in list_open_orders_for_certificate(
        session, order.certificate_id, lock_certificate=True) if o.id != order.id]
    if any(other.state in CLAIMING for other in others):
        raise CertificateClaimed()
    for other in others:
        apply_transition(session, other, OrderEvent.CANCEL, SYSTEM_ACTOR, SUPERSEDED_NOTE,
                         at=at)
