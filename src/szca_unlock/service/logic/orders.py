"""C-3 / *-4 and 我的业务单: open, list, show and cancel orders, always scoped to the owner."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.domain.orders import OrderEvent, OrderMode, OrderState
from szca_unlock.service.context import ServiceContext
from szca_unlock.service.errors import Conflict
from szca_unlock.service.logic import agreements
from szca_unlock.service.logic.certificates import find_unlockable
from szca_unlock.service.logic.order_expiry import expire_idle, idle_candidates, is_expired
from szca_unlock.service.logic.sessions import Principal
from szca_unlock.store.models_orders import OrderRow
from szca_unlock.store.repo_orders import (
    create_order,
    get_order_for_owner,
    list_open_orders_for_certificate,
)
from szca_unlock.store.transitions import CLAIMING, apply_transition

UNLOCKABLE = frozenset({OrderState.VERIFIED, OrderState.APPROVED})


def open_order(db: Session, caller: Principal, serial: str, mode: OrderMode,
               now: datetime) -> OrderRow:
    agreements.require_accepted(db, caller)
    row, _ = find_unlockable(db, serial, now)
    # Locked: a double click (or a second login) racing this one waits, then sees ours.
    open_orders = list_open_orders_for_certificate(db, row.id, lock_certificate=True)
    closed = {o.id for o in expire_idle(db, open_orders, now)}
    for other in (o for o in open_orders if o.id not in closed):
        if other.owner_mobile == caller.mobile:
            raise Conflict("order_open",
                           f"该证书已有未完成的业务单{other.order_no}，请在“个人中心→我的业务单”"
                           "中继续办理，或取消后重新发起", "certificate_serial")
        # Another login's order blocks only once it has passed verification: an order
        # anyone can open must not lock the holder out (the first verified one wins).
        if other.state in CLAIMING:
            raise Conflict("order_open_elsewhere",
                           "该证书已有其他账号完成身份验证并正在办理解锁，请由原经办人完成或取消后再办理",
                           "certificate_serial", help="如需帮助请联系深圳CA客服热线 400-112-3838")
    return create_order(db, certificate=row, mode=mode, owner_mobile=caller.mobile or "",
                        now=now)


def expire_own_idle_orders(ctx: ServiceContext, caller: Principal) -> None:
    """Close the caller's idle orders before they are shown (a write only when one is due)."""
    now = ctx.clock()
    with ctx.db.session(readonly=True) as db:
        if not any(is_expired(o, now) for o in idle_candidates(db, caller.mobile or "", now)):
            return
    with ctx.db.session() as db:
        expire_idle(db, idle_candidates(db, caller.mobile or "", now), now)


def own_order(db: Session, caller: Principal, order_no: str, *,
              lock: bool = False) -> OrderRow:
    """The caller's order; another login's order is a 404 like a missing one. ``lock``:
    held until the transaction ends (see ``store.repo_orders.get_order``)."""
    return get_order_for_owner(db, order_no, caller.mobile or "", for_update=lock)


def unlockable_order(db: Session, caller: Principal, order_no: str) -> OrderRow:
    """The caller's order once verification or review passed (立即解锁 is offered)."""
    order = own_order(db, caller, order_no)
    if order.state not in UNLOCKABLE:
        raise Conflict("not_verified",
                       f"业务单当前状态为「{order.state.label}」，认证或审核通过后才能解锁")
    return order


def cancel(db: Session, caller: Principal, order_no: str, now: datetime) -> OrderRow:
    order = own_order(db, caller, order_no)
    apply_transition(db, order, OrderEvent.CANCEL, caller.actor, at=now)
    return order


def require_kind(order: OrderRow, *kinds: CertificateKind) -> None:
    if order.certificate.kind not in kinds:
        raise Conflict("wrong_certificate_kind",
                       f"{order.certificate.kind.label}不适用此步骤，请按页面提示操作")


def require_realtime(order: OrderRow) -> None:
    if order.mode is not OrderMode.REALTIME:
        raise Conflict("not_realtime", "该业务单为人工审核解锁，不能进行实时认证")
