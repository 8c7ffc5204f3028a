"""C-2 / C-3 as pages: 解锁指南 with the two agreement ticks (进入解锁), 证书序列号 + 提交
(the certificate shown), then 实时解锁 / 人工审核解锁.

Each page renders the model the matching ``/api`` route answers (the route functions are
the views), so the page shows exactly the API's data and rules.
"""

from __future__ import annotations

import contextlib
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from szca_unlock.domain.errors import DomainError
from szca_unlock.domain.orders import OrderMode
from szca_unlock.service.deps import Ctx, ReadDb, client_address
from szca_unlock.service.guide import AGREEMENTS
from szca_unlock.service.logic import agreements, orders
from szca_unlock.service.routers import certificates as certificates_api
from szca_unlock.service.routers import guide as guide_api
from szca_unlock.service.views.orders import order_view
from szca_unlock.service.views.portal import TICKS
from szca_unlock.service.web.render import page_error, render
from szca_unlock.service.web.session import PageApplicant

router = APIRouter(include_in_schema=False)

def _guide_page(request: Request, caller: PageApplicant, db: ReadDb, *,
                error: dict[str, object] | None = None, status_code: int = 200) -> Response:
    guide = guide_api.get_guide(caller, db)
    return render(request, "guide.html",
                  {"guide": guide.model_dump(), "ticks": TICKS, "logged_in": True,
                   "error": error}, page="guide", title=guide.title, status_code=status_code)


@router.get("/unlock/guide")
def guide_page(request: Request, caller: PageApplicant, db: ReadDb) -> Response:
    return _guide_page(request, caller, db)


@router.post("/unlock/guide")
async def enter_unlock(request: Request, caller: PageApplicant, ctx: Ctx) -> Response:
    """进入解锁: both ticks record all three agreements (their current versions)."""
    form = await request.form()
    ticked = [ids for name, _, ids in TICKS if form.get(name) == "on"]
    if len(ticked) < len(TICKS):
        with ctx.db.session(readonly=True) as db:
            return _guide_page(request, caller, db, status_code=400, error={
                "code": "agreements_required", "field": "agreements", "help": "",
                "message": "请勾选同意《电子认证服务协议》《个人信息授权书》"
                           "《敏感个人信息授权书》后再进入解锁"})
    wanted = {i for ids in ticked for i in ids}
    with ctx.db.session() as db:  # committed in this thread (deps.py)
        agreements.accept(db, caller, [(a.id, a.version) for a in AGREEMENTS if a.id in wanted],
                          ctx.clock())
    return RedirectResponse("/unlock/certificate", status_code=303)


@router.get("/unlock/certificate")
def certificate_page(request: Request, caller: PageApplicant, ctx: Ctx, db: ReadDb,
                     serial: str | None = None) -> Response:
    """证书序列号 + 提交 (a GET form, like the API's lookup); the certificate, once found,
    with 实时解锁 and 人工审核解锁."""
    if not agreements.all_accepted(db, caller.session_id):
        return RedirectResponse("/unlock/guide", status_code=303)
    certificate, error = None, None
    if serial is not None:
        try:
            ctx.limiter.hit(ctx.limits.lookup, client_address(request))
            certificate = certificates_api.lookup_certificate(serial, caller, ctx, db)
        except DomainError as exc:
            error = {**page_error(exc), "field": "serial"}
    return render(request, "certificate.html",
                  {"serial": serial or "", "error": error, "logged_in": True,
                   "certificate": certificate.model_dump() if certificate else None},
                  page="certificate", title="证书确认",
                  status_code=int(error["status"]) if error else 200)


@router.post("/unlock/orders")
def open_order(request: Request, caller: PageApplicant, ctx: Ctx,
               serial: Annotated[str, Form()] = "",
               mode: Annotated[str, Form()] = "") -> Response:
    """实时解锁 / 人工审核解锁: open the order, then its first step."""
    try:
        chosen = OrderMode(mode)
    except ValueError:
        chosen = None
    try:
        if chosen is None:
            raise DomainError("mode.required", "请选择“实时解锁”或“人工审核解锁”", "mode")
        with ctx.db.session() as db:  # committed in this thread (deps.py)
            order = orders.open_order(db, caller, serial, chosen, ctx.clock())
            order_no = order_view(db, order).order_no
    except DomainError as exc:
        error = page_error(exc)
        with ctx.db.session(readonly=True) as db:
            certificate = None
            with contextlib.suppress(DomainError):
                certificate = certificates_api.lookup_certificate(serial, caller, ctx, db)
            return render(request, "certificate.html",
                          {"serial": serial, "error": {**error, "field": ""},
                           "logged_in": True,
                           "certificate": certificate.model_dump() if certificate else None},
                          page="certificate", title="证书确认",
                          status_code=int(error["status"]))
    target = f"/orders/{order_no}/unlock" if chosen is OrderMode.REALTIME else \
        f"/orders/{order_no}/manual"
    return RedirectResponse(target, status_code=303)
