"""C-3 / *-4 and 我的业务单."""

from __future__ import annotations

from fastapi import APIRouter, status

from szca_unlock.api.orders import CreateOrder, OrderList, OrderView, ResultScreen
from szca_unlock.service.deps import Applicant, Ctx, ReadDb
from szca_unlock.service.logic import orders
from szca_unlock.service.params import PageCursor, PageLimit
from szca_unlock.service.responses import APPLICANT_ORDER, errors
from szca_unlock.service.views import orders as views
from szca_unlock.store.pages import orders_of_owner

router = APIRouter(prefix="/orders", tags=["orders"], responses=errors(*APPLICANT_ORDER))


@router.post("", status_code=status.HTTP_201_CREATED)
def create_order(body: CreateOrder, caller: Applicant, ctx: Ctx) -> OrderView:
    with ctx.db.session() as db:  # committed in this thread (deps.py)
        order = orders.open_order(db, caller, body.certificate_serial, body.mode, ctx.clock())
        return views.order_view(db, order)


@router.get("")
def list_orders(caller: Applicant, ctx: Ctx, limit: PageLimit = 20,
                cursor: PageCursor = None) -> OrderList:
    """我的业务单, newest first, one page at a time (docs/api.md § Pagination)."""
    orders.expire_own_idle_orders(ctx, caller)
    with ctx.db.session(readonly=True) as db:
        return views.order_list(orders_of_owner(db, caller.mobile or "", limit=limit,
                                                cursor=cursor))


@router.get("/{order_no}")
def get_order(order_no: str, caller: Applicant, ctx: Ctx) -> OrderView:
    orders.expire_own_idle_orders(ctx, caller)
    with ctx.db.session(readonly=True) as db:
        return views.order_view(db, orders.own_order(db, caller, order_no))


@router.post("/{order_no}/cancel")
def cancel_order(order_no: str, caller: Applicant, ctx: Ctx) -> OrderView:
    with ctx.db.session() as db:  # committed in this thread (deps.py)
        return views.order_view(db, orders.cancel(db, caller, order_no, ctx.clock()))


@router.get("/{order_no}/result")
def result_screen(order_no: str, caller: Applicant, db: ReadDb) -> ResultScreen:
    """The 恭喜!审核已通过 screen with the 立即解锁 button."""
    return views.result_screen(orders.unlockable_order(db, caller, order_no))
