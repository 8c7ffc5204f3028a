"""Orders left idle before verification close themselves, so nothing half-done lingers.

An order that has not passed identity verification (real-time) or review (manual) never
blocks anyone (``store.transitions.CLAIMING``); it still expires when its owner leaves it
untouched: a real-time order after ``REALTIME_IDLE`` (one sitting; the login itself lasts
30 minutes), a manual order being prepared (DRAFT / REJECTED: forms to print, stamp and
scan) after ``MANUAL_IDLE``. A submitted order waits for the CA, not for its owner, and a
verified or approved one belongs to a proven holder: neither expires.

Expiry is applied when the order is next looked at: the owner's order list and order
page, and any attempt to open an order on the same certificate.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from szca_unlock.domain.orders import OrderEvent, OrderMode, OrderState
from szca_unlock.store.models_orders import OrderRow
from szca_unlock.store.transitions import SYSTEM_ACTOR, apply_transition

REALTIME_IDLE = timedelta(hours=24)
MANUAL_IDLE = timedelta(days=30)
_NOT_EXPIRING = frozenset({OrderState.SUBMITTED, OrderState.VERIFIED, OrderState.APPROVED,
                           OrderState.COMPLETED, OrderState.CANCELLED})


def idle_limit(order: OrderRow) -> timedelta | None:
    if order.state in _NOT_EXPIRING:
        return None
    return REALTIME_IDLE if order.mode is OrderMode.REALTIME else MANUAL_IDLE


def expires_at(order: OrderRow) -> datetime | None:
    limit = idle_limit(order)
    return order.updated_at + limit if limit is not None else None


def is_expired(order: OrderRow, now: datetime) -> bool:
    due = expires_at(order)
    return due is not None and now >= due


def _note(order: OrderRow) -> str:
    limit = idle_limit(order)
    assert limit is not None
    hours = int(limit.total_seconds() // 3600)
    span = f"{hours}小时" if hours <= 48 else f"{hours // 24}天"
    return f"超过{span}未办理，业务单已自动关闭；如需解锁请重新发起"


def idle_candidates(db: Session, owner_mobile: str, now: datetime) -> list[OrderRow]:
    """The owner's orders that may be due (an indexed query on open, idle orders), not
    every order the owner ever had: a long 我的业务单 costs nothing extra to look at."""
    expiring = [state for state in OrderState if state not in _NOT_EXPIRING]
    return list(db.scalars(select(OrderRow).where(
        OrderRow.owner_mobile_hash == owner_mobile, OrderRow.state.in_(expiring),
        OrderRow.updated_at <= now - min(REALTIME_IDLE, MANUAL_IDLE))))


def expire_idle(db: Session, orders: Iterable[OrderRow], now: datetime) -> list[OrderRow]:
    """Close the expired ones among ``orders`` (in the caller's write transaction)."""
    closed = []
    for order in orders:
        if is_expired(order, now):
            apply_transition(db, order, OrderEvent.CANCEL, SYSTEM_ACTOR, _note(order), at=now)
            closed.append(order)
    return closed
