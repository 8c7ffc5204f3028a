"""The certificate helper's one-time tickets (立即解锁 from a page; docs/decisions/portal.md).

The page session is an HttpOnly cookie the helper never sees. When the user presses
立即解锁 the page asks the service for a ticket (for that order, bound to that page
session, valid 2 minutes) and hands it to the helper with the new PIN; the helper redeems
it once for a helper session that may call that order's unlock routes and nothing else,
for 5 minutes. A reused, expired or foreign ticket is refused, and so is a ticket whose
page session has ended (logout).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from szca_unlock.service.context import SessionPolicy
from szca_unlock.service.errors import Conflict, Forbidden, ServiceRefusal
from szca_unlock.service.logic import orders
from szca_unlock.service.logic.sessions import Principal, open_session
from szca_unlock.store.enums import SessionKind
from szca_unlock.store.models_access import AssistantTicketRow, SessionRow
from szca_unlock.store.models_orders import OrderRow

TICKET_TTL = timedelta(minutes=2)
HELPER_SESSION = SessionPolicy(idle_timeout=timedelta(minutes=5),
                               max_lifetime=timedelta(minutes=5))
_AGAIN = "请回到网上营业厅页面重新点击“立即解锁”"


class TicketRefused(ServiceRefusal):
    status = 401


@dataclass(frozen=True)
class Ticket:
    ticket: str
    order_no: str
    expires_at: datetime


@dataclass(frozen=True)
class Redeemed:
    access_token: str
    order_no: str
    key_serial: str
    expires_at: datetime


def _hash(ticket: str) -> str:
    return hashlib.sha256(ticket.encode()).hexdigest()


def issue(db: Session, caller: Principal, order_no: str, now: datetime) -> Ticket:
    """A ticket for the caller's order, once it may be unlocked (VERIFIED / APPROVED)."""
    order = orders.own_order(db, caller, order_no)
    if order.state not in orders.UNLOCKABLE:
        raise Conflict("not_verified",
                       f"业务单当前状态为「{order.state.label}」，认证或审核通过后才能解锁")
    ticket = secrets.token_urlsafe(32)
    expires_at = now + TICKET_TTL
    db.add(AssistantTicketRow(ticket_hash=_hash(ticket), session_id=caller.session_id,
                              order_id=order.id, issued_at=now, expires_at=expires_at))
    db.flush()
    return Ticket(ticket, order.order_no, expires_at)


def redeem(db: Session, ticket: str, order_no: str, now: datetime) -> Redeemed:
    """Exchange the ticket (once) for a helper session scoped to its order."""
    row = db.scalar(select(AssistantTicketRow).where(
        AssistantTicketRow.ticket_hash == _hash(ticket)))
    order = db.get(OrderRow, row.order_id) if row is not None else None
    if row is None or order is None or order.order_no != order_no:
        raise TicketRefused("assistant.ticket_invalid", f"解锁凭证无效，{_AGAIN}", "ticket")
    if row.redeemed_at is not None:
        raise TicketRefused("assistant.ticket_used", f"解锁凭证已使用，{_AGAIN}", "ticket")
    if now >= row.expires_at:
        raise TicketRefused("assistant.ticket_expired", f"解锁凭证已过期，{_AGAIN}", "ticket")
    page = db.get(SessionRow, row.session_id)
    if page is None or page.revoked or now >= page.expires_at:
        raise TicketRefused("assistant.session_ended", "网上营业厅登录已失效，请重新登录后再解锁",
                            "ticket")
    # Single use even under a race: only the first UPDATE finds it unredeemed.
    taken = cast(CursorResult[Any], db.execute(update(AssistantTicketRow).where(
        AssistantTicketRow.id == row.id, AssistantTicketRow.redeemed_at.is_(None)
    ).values(redeemed_at=now)))
    if taken.rowcount != 1:
        raise TicketRefused("assistant.ticket_used", f"解锁凭证已使用，{_AGAIN}", "ticket")
    token, helper = open_session(db, HELPER_SESSION, now, kind=SessionKind.ASSISTANT,
                                 mobile=page.mobile)
    row.access_session_id = helper.id
    return Redeemed(token, order.order_no, order.key_serial, helper.expires_at)


def require_scope(db: Session, helper: Principal, order_no: str) -> None:
    """A helper session may act on the one order its ticket was issued for."""
    row = db.scalar(select(AssistantTicketRow).where(
        AssistantTicketRow.access_session_id == helper.session_id))
    order = db.get(OrderRow, row.order_id) if row is not None else None
    if order is None or order.order_no != order_no:
        raise Forbidden("该解锁凭证不能用于此业务单")
