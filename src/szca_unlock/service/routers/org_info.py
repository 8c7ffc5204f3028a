"""ORG-RT-5 and ORG-RT-7."""

from __future__ import annotations

from fastapi import APIRouter

from szca_unlock.api.orders import OrderView
from szca_unlock.api.verifications import (
    AuthorizationLetterView,
    ConfirmLetter,
    ConfirmOrganisation,
    LetterField,
    OrganisationInfo,
)
from szca_unlock.service.deps import Applicant, Ctx, ReadDb
from szca_unlock.service.logic import org_info
from szca_unlock.service.responses import APPLICANT_ORDER, errors
from szca_unlock.service.views import order_view

router = APIRouter(prefix="/orders/{order_no}", tags=["organisation"],
                   responses=errors(*APPLICANT_ORDER))


@router.get("/organisation")
def get_organisation(order_no: str, caller: Applicant, db: ReadDb) -> OrganisationInfo:
    order = org_info.org_order(db, caller, order_no)
    org = order.certificate.organisation
    assert org is not None
    return OrganisationInfo(name=org.name, uscc=org.uscc, legal_rep_name=order.legal_rep_name)


@router.post("/organisation")
def confirm_organisation(order_no: str, body: ConfirmOrganisation, caller: Applicant,
                         ctx: Ctx) -> OrderView:
    with ctx.db.session() as db:  # committed in this thread (deps.py)
        order = org_info.confirm_org_info(db, caller, order_no, body.legal_rep_name,
                                          body.legal_rep_id_number, ctx.clock())
        return order_view(db, order)


@router.get("/authorization-letter")
def get_letter(order_no: str, caller: Applicant, db: ReadDb) -> AuthorizationLetterView:
    order, letter = org_info.letter(db, caller, order_no)
    confirmed = order.form.get("authorization_letter", {}).get("version") == letter.version
    return AuthorizationLetterView(
        version=letter.version, title=letter.title,
        fields=[LetterField(label=f.label, value=f.value) for f in letter.fields],
        paragraphs=list(letter.paragraphs), confirmed=confirmed)


@router.post("/authorization-letter/confirm")
def confirm_letter(order_no: str, body: ConfirmLetter, caller: Applicant, ctx: Ctx) -> OrderView:
    with ctx.db.session() as db:  # committed in this thread (deps.py)
        return order_view(db, org_info.confirm_letter(db, caller, order_no, body.version,
                                                      ctx.clock()))
