"""C-2 / *-3: certificate lookup by serial."""

from __future__ import annotations

from fastapi import APIRouter

from szca_unlock.api.orders import CertificateView
from szca_unlock.service.deps import Applicant, Ctx, ReadDb, limit_by_address
from szca_unlock.service.logic import agreements
from szca_unlock.service.logic.certificates import find_unlockable
from szca_unlock.service.responses import APPLICANT_ORDER, errors
from szca_unlock.service.views.orders import certificate_view

router = APIRouter(prefix="/certificates", tags=["certificates"],
                   responses=errors(*APPLICANT_ORDER, 429))


@router.get("/{serial}", dependencies=[limit_by_address("lookup")])
def lookup_certificate(serial: str, caller: Applicant, ctx: Ctx, db: ReadDb) -> CertificateView:
    agreements.require_accepted(db, caller)
    _, cert = find_unlockable(db, serial, ctx.clock())
    return certificate_view(cert)
