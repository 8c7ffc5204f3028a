"""The certificate helper (szca-assistant) redeems the one-time ticket a page handed it
(docs/decisions/portal.md); the ticket is the credential, so no bearer token here."""

from __future__ import annotations

from fastapi import APIRouter

from szca_unlock.api.assistant import HelperSession, RedeemTicket
from szca_unlock.service.deps import Ctx, limit_by_address
from szca_unlock.service.logic import assistant
from szca_unlock.service.responses import errors

# 400: a body that is not JSON (found by the fuzz test once the route joined a group).
router = APIRouter(prefix="/assistant", tags=["assistant"], responses=errors(400, 401, 429))


@router.post("/tickets/redeem", dependencies=[limit_by_address("login")])
def redeem_ticket(body: RedeemTicket, ctx: Ctx) -> HelperSession:
    with ctx.db.session() as db:  # committed in this thread (deps.py)
        done = assistant.redeem(db, body.ticket, body.order_no, ctx.clock())
        return HelperSession(access_token=done.access_token, order_no=done.order_no,
                             key_serial=done.key_serial, expires_at=done.expires_at)
