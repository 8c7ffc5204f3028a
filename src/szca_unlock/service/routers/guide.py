"""C-2 / *-2: the unlock guide and the agreements."""

from __future__ import annotations

from fastapi import APIRouter

from szca_unlock.api.guide import (
    AcceptRequest,
    AcceptResponse,
    AgreementView,
    Guide,
    GuideSection,
    UnlockModeView,
)
from szca_unlock.service import guide
from szca_unlock.service.deps import Applicant, Ctx, ReadDb
from szca_unlock.service.logic import agreements
from szca_unlock.service.responses import errors

router = APIRouter(tags=["guide"], responses=errors(400, 401, 403))


@router.get("/unlock/guide")
def get_guide(caller: Applicant, db: ReadDb) -> Guide:
    have = agreements.accepted_versions(db, caller.session_id)
    return Guide(
        title=guide.GUIDE_TITLE,
        sections=[GuideSection(heading=h, text=t) for h, t in guide.GUIDE_SECTIONS],
        modes=[UnlockModeView(mode=m, label=label, description=d)
               for m, label, d in guide.UNLOCK_MODES],
        agreements=[AgreementView(id=a.id, title=a.title, version=a.version,
                                  accepted=f"{a.id}:{a.version}" in have,
                                  accepted_at=have.get(f"{a.id}:{a.version}"))
                    for a in guide.AGREEMENTS])


@router.post("/agreements/accept")
def accept_agreements(body: AcceptRequest, caller: Applicant, ctx: Ctx
                      ) -> AcceptResponse:
    with ctx.db.session() as db:  # committed in this thread (deps.py)
        done = agreements.accept(db, caller, [(t.id, t.version) for t in body.agreements],
                                 ctx.clock())
        return AcceptResponse(accepted=[
            AgreementView(id=a.id, title=a.title, version=a.version, accepted=True, accepted_at=at)
            for a, at in done])
