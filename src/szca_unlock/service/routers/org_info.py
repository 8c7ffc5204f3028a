"""ORG-RT-5 and ORG-RT-7."""

from __future__ import annotations

from fastapi import APIRouter

from szca_unlock.api.orders import OrderView
from szca_unlock.api.verifications import (
    AuthorizationLetterView,
    ConfirmLetter,
    ConfirmOrganisation,
    OrganisationInfo,
)
from szca_unlock.service.deps import Applicant, Ctx, ReadDb
from szca_unlock.service.logic import org_info
from szca_unlock.service.responses import APPLICANT_ORDER, errors
from szca_unlock.service.views.orders import order_view
from szca_unlock.service.views.organisation import authorization_letter, organisation_info

router = APIRouter(prefix="/orders/{order_no}", tags=["organisation"],
                   responses=errors(*APPLICANT_ORDER))


@router.get("/organisation")
def get_organisation(order_no: str, caller: Applicant, db: ReadDb) -> OrganisationInfo:
    return organisation_info(org_info.org_order(db, caller, order_no))


@router.post("/organisation")
def confirm_organisation(order_no: str, body: ConfirmOrganisation, caller: Applicant,
                         ctx: Ctx) -> OrderView:
    with ctx.db.session() as db:  # committed in this thread (deps.py)
        order = org_info.confirm_org_info(db, caller, order_no, body.legal_rep_name,
                                          body.legal_rep_id_number, ctx.clock())
        return order_view(db, order)


@router.get("/authorization-letter")
def get_letter(order_no: str, caller: Applicant, db: ReadDb) -> AuthorizationLetterView:
    return authorization_letter(*org_info.letter(db, caller, order_no))


@router.post("/authorization-letter/confirm")
def confirm_letter(order_no: str, body: ConfirmLetter, caller: Applicant, ctx: Ctx) -> OrderView:
    with ctx.db.session() as db:  # committed in this thread (deps.py)
        return order_view(db, org_info.confirm_letter(db, caller, order_no, body.version,
                                                      ctx.clock()))
