"""C-2 / *-2: the unlock guide and the agreements."""

from __future__ import annotations

from fastapi import APIRouter

from szca_unlock.api.guide import AcceptRequest, AcceptResponse, Guide
from szca_unlock.service.deps import Applicant, Ctx, ReadDb
from szca_unlock.service.logic import agreements
from szca_unlock.service.responses import errors
from szca_unlock.service.views import guide as views

router = APIRouter(tags=["guide"], responses=errors(400, 401, 403))


@router.get("/unlock/guide")
def get_guide(caller: Applicant, db: ReadDb) -> Guide:
    return views.unlock_guide(agreements.accepted_versions(db, caller.session_id))


@router.post("/agreements/accept")
def accept_agreements(body: AcceptRequest, caller: Applicant, ctx: Ctx
                      ) -> AcceptResponse:
    with ctx.db.session() as db:  # committed in this thread (deps.py)
        done = agreements.accept(db, caller, [(t.id, t.version) for t in body.agreements],
                                 ctx.clock())
        return views.accepted(done)
