"""C-5 / C-6: the remote-unlock exchange of docs/unlock-protocol.md."""

from __future__ import annotations

from fastapi import APIRouter

from szca_unlock.api.orders import OrderView
from szca_unlock.api.unlock import (
    AuthoriseSoPin,
    AuthoriseUnlock,
    ConfirmSoPin,
    ConfirmUnlock,
    ReconcileUnlock,
    SoPinGranted,
    UnlockGranted,
)
from szca_unlock.service.deps import Ctx, UnlockCaller
from szca_unlock.service.logic import unlock
from szca_unlock.service.responses import APPLICANT_ORDER, errors
from szca_unlock.service.views.orders import order_view
from szca_unlock.service.views.unlock import so_pin_granted, unlock_granted

router = APIRouter(prefix="/orders/{order_no}/unlock", tags=["unlock"],
                   responses=errors(*APPLICANT_ORDER))


@router.post("/authorise")
def authorise(order_no: str, body: AuthoriseUnlock, caller: UnlockCaller,
              ctx: Ctx) -> UnlockGranted:
    with ctx.db.session() as db:  # committed in this thread (deps.py)
        granted = unlock.authorise(ctx, db, caller, order_no, body.key_serial,
                                   body.certificate_serial, body.challenge)
        return unlock_granted(granted)


@router.post("/confirm")
def confirm(order_no: str, body: ConfirmUnlock, caller: UnlockCaller, ctx: Ctx) -> OrderView:
    with ctx.db.session() as db:  # committed in this thread (deps.py)
        order = unlock.confirm(ctx, db, caller, order_no, body.authorisation_id, body.receipt)
        return order_view(db, order)


@router.post("/reconcile")
def reconcile(order_no: str, body: ReconcileUnlock, caller: UnlockCaller,
              ctx: Ctx) -> OrderView:
    with ctx.db.session() as db:  # committed in this thread (deps.py)
        order = unlock.reconcile(ctx, db, caller, order_no, body.key_serial, body.challenge,
                                 body.receipt)
        return order_view(db, order)


@router.post("/so-pin/authorise")
def authorise_so_pin(order_no: str, body: AuthoriseSoPin, caller: UnlockCaller,
                     ctx: Ctx) -> SoPinGranted:
    with ctx.db.session() as db:  # committed in this thread (deps.py)
        granted = unlock.authorise_so_pin(ctx, db, caller, order_no, body.key_serial,
                                          body.certificate_serial)
        return so_pin_granted(granted)


@router.post("/so-pin/confirm")
def confirm_so_pin(order_no: str, body: ConfirmSoPin, caller: UnlockCaller,
                   ctx: Ctx) -> OrderView:
    with ctx.db.session() as db:  # committed in this thread (deps.py)
        order = unlock.confirm_so_pin(ctx, db, caller, order_no, body.authorisation_id,
                                      body.token_serial)
        return order_view(db, order)
