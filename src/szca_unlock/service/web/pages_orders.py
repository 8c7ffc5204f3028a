"""个人中心 → 我的业务单 as pages: the list (newest first), one order with its history, and
解锁 on an order that may be unlocked. The data is the API's (``/api/orders``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from szca_unlock.domain.errors import DomainError
from szca_unlock.service.deps import Ctx
from szca_unlock.service.params import PageCursor
from szca_unlock.service.routers import orders as orders_api
from szca_unlock.service.web.render import page_error, render
from szca_unlock.service.web.session import PageApplicant

router = APIRouter(include_in_schema=False)


@router.get("/orders")
def order_list(request: Request, caller: PageApplicant, ctx: Ctx,
               cursor: PageCursor = None) -> Response:
    """One page of 20, newest first; 下一页 follows the API's cursor (docs/api.md)."""
    listing = orders_api.list_orders(caller, ctx, limit=20, cursor=cursor)
    return render(request, "orders.html", {"orders": listing.model_dump()["orders"],
                                           "next_cursor": listing.next_cursor,
                                           "first_page": cursor is None, "logged_in": True},
                  page="orders", title="我的业务单")


@router.get("/orders/{order_no}")
def order_detail(request: Request, order_no: str, caller: PageApplicant, ctx: Ctx) -> Response:
    order = orders_api.get_order(order_no, caller, ctx)
    return render(request, "order.html", {"order": order.model_dump(), "logged_in": True},
                  page="order", title=f"业务单 {order.order_no}")


@router.post("/orders/{order_no}/cancel")
def cancel_order(request: Request, order_no: str, caller: PageApplicant, ctx: Ctx) -> Response:
    try:
        orders_api.cancel_order(order_no, caller, ctx)
    except DomainError as exc:
        error = page_error(exc)
        order = orders_api.get_order(order_no, caller, ctx)
        return render(request, "order.html",
                      {"order": order.model_dump(), "logged_in": True,
                       "error": {**error, "field": ""}},
                      page="order", title=f"业务单 {order.order_no}",
                      status_code=int(error["status"]))
    return RedirectResponse(f"/orders/{order_no}", status_code=303)
