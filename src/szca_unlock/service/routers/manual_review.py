"""ORG-MR-5..10 / PER-MR-5..7 for the applicant: the form, the application form PDF, the
operator's face check, submit and resubmit; and the 省市 picker."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from szca_unlock.api.manual import (
    CityList,
    ManualFaceView,
    ManualForm,
    ManualView,
    RegionList,
)
from szca_unlock.domain.order_form import ApplicationDraft
from szca_unlock.service.deps import Applicant, Ctx, ReadDb
from szca_unlock.service.logic import manual_face, manual_form, manual_submit, orders
from szca_unlock.service.responses import APPLICANT_ORDER, PROVIDER, binary, errors
from szca_unlock.service.routers.documents import file_response
from szca_unlock.service.views.manual import city_list, face_view, manual_view, province_list

router = APIRouter(tags=["manual review"], responses=errors(*APPLICANT_ORDER, *PROVIDER))
_ORDER = "/orders/{order_no}/manual"


@router.get("/regions")
def list_provinces() -> RegionList:
    return province_list()


@router.get("/regions/{province}")
def list_cities(province: str) -> CityList:
    return city_list(province)


@router.get(_ORDER)
def get_manual(order_no: str, caller: Applicant, db: ReadDb) -> ManualView:
    order = orders.own_order(db, caller, order_no)
    manual_form.require_manual(order)
    return manual_view(db, order)


@router.put(f"{_ORDER}/form")
def save_form(order_no: str, body: ManualForm, caller: Applicant, ctx: Ctx) -> ManualView:
    with ctx.db.session() as db:  # committed in this thread (deps.py)
        order = orders.own_order(db, caller, order_no)
        draft = ApplicationDraft(**body.model_dump())
        manual_form.save_form(db, order, draft, ctx.clock())
        return manual_view(db, order)


@router.get(f"{_ORDER}/application-form.pdf", responses=binary("application/pdf"))
def application_form(order_no: str, caller: Applicant, ctx: Ctx) -> Response:
    """ORG-MR-6: the 申请表 to print, sign, date and seal."""
    pdf = manual_form.application_pdf(ctx, lambda db: orders.own_order(db, caller, order_no))
    return file_response(pdf, "application/pdf", f"数字证书解锁申请表-{order_no}.pdf",
                         inline=False)


@router.post(f"{_ORDER}/face", status_code=status.HTTP_201_CREATED)
def start_face(order_no: str, caller: Applicant, ctx: Ctx, db: ReadDb) -> ManualFaceView:
    """ORG-MR-8: a WeChat liveness session for the operator named in the form."""
    attempt = manual_face.start(ctx, lambda tx: orders.own_order(tx, caller, order_no),
                                ctx.clock())
    return face_view(db, orders.own_order(db, caller, order_no), attempt.qr_png)


@router.get(f"{_ORDER}/face")
def poll_face(order_no: str, caller: Applicant, ctx: Ctx, db: ReadDb) -> ManualFaceView:
    manual_face.poll(ctx, lambda tx: orders.own_order(tx, caller, order_no), ctx.clock())
    return face_view(db, orders.own_order(db, caller, order_no))


@router.post(f"{_ORDER}/submit")
def submit(order_no: str, caller: Applicant, ctx: Ctx) -> ManualView:
    """提交 (DRAFT) or 重新提交 after a rejection (REJECTED): a new review round."""
    with ctx.db.session() as db:  # committed in this thread (deps.py)
        order = orders.own_order(db, caller, order_no)
        manual_submit.submit(db, caller, order, ctx.clock())
        return manual_view(db, order)
