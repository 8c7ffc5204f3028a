"""ORG-MR-9 / PER-MR-7 for CA staff: login, review queue, an order with its documents,
approve (SMS 1000003) or reject with reasons. Applicants get 403 on every route but login."""

from __future__ import annotations

from fastapi import APIRouter, Response

from szca_unlock.api.manual import ReasonView
from szca_unlock.api.staff import (
    Approve,
    Decision,
    Reject,
    ReviewDetail,
    ReviewQueue,
    StaffLogin,
    StaffLoginResponse,
)
from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.service.deps import Ctx, ReadDb, Staff, limit_by_address
from szca_unlock.service.logic import manual_form, review, uploads
from szca_unlock.service.logic.staff_login import staff_login
from szca_unlock.service.params import PageCursor, PageLimit, RowId
from szca_unlock.service.responses import PROVIDER, STORED_TYPES, binary, errors
from szca_unlock.service.routers.documents import file_response
from szca_unlock.service.views import staff as views
from szca_unlock.store import pages

router = APIRouter(prefix="/staff", tags=["staff"],
                   responses=errors(400, 401, 403, 404, 409, *PROVIDER))
_ORDER = "/reviews/{order_no}"


@router.post("/login", dependencies=[limit_by_address("login")])
def log_in(body: StaffLogin, ctx: Ctx) -> StaffLoginResponse:
    token, session, user = staff_login(ctx, body.username, body.password)
    return views.staff_logged_in(token, session, user, ctx.sessions.idle_timeout)


@router.get("/reviews")
def review_queue(staff: Staff, ctx: Ctx, db: ReadDb, limit: PageLimit = 50,
                 cursor: PageCursor = None) -> ReviewQueue:
    """Orders waiting for review, the nearest deadline first, one page at a time."""
    return views.review_queue(pages.review_queue(db, limit=limit, cursor=cursor),
                              pages.count_review_queue(db), ctx.clock())


@router.get("/reasons")
def rejection_reasons(staff: Staff, kind: CertificateKind) -> list[ReasonView]:
    return views.rejection_reasons(kind)


@router.get(_ORDER)
def open_review(order_no: str, staff: Staff, db: ReadDb) -> ReviewDetail:
    return views.review_detail(db, review.order_for_review(db, order_no))


@router.get(f"{_ORDER}/documents/{{document_id}}", responses=binary(*STORED_TYPES))
def review_document(order_no: str, document_id: RowId, staff: Staff, ctx: Ctx,
                    db: ReadDb) -> Response:
    row, data = uploads.read(ctx, db, review.order_for_review(db, order_no), document_id)
    return file_response(data, row.content_type, row.filename)


@router.get(f"{_ORDER}/documents/{{document_id}}/preview", responses=binary("image/png"))
def review_preview(order_no: str, document_id: RowId, staff: Staff, ctx: Ctx,
                   db: ReadDb) -> Response:
    preview = uploads.preview(ctx, db, review.order_for_review(db, order_no), document_id)
    return Response(preview.png, media_type="image/png",
                    headers={"Cache-Control": "private, no-store"})


@router.get(f"{_ORDER}/application-form.pdf", responses=binary("application/pdf"))
def review_application_form(order_no: str, staff: Staff, ctx: Ctx) -> Response:
    """The form as the service printed it, to compare with the signed upload."""
    pdf = manual_form.application_pdf(ctx, lambda db: review.order_for_review(db, order_no))
    return file_response(pdf, "application/pdf", f"数字证书解锁申请表-{order_no}.pdf")


@router.post(f"{_ORDER}/approve")
def approve(order_no: str, body: Approve, staff: Staff, ctx: Ctx) -> Decision:
    with ctx.db.session() as db:  # committed in this thread (deps.py)
        order, notice = review.approve(ctx, db, staff, order_no, body.note, ctx.clock())
        return views.decision(db, order, notice)


@router.post(f"{_ORDER}/reject")
def reject(order_no: str, body: Reject, staff: Staff, ctx: Ctx) -> Decision:
    with ctx.db.session() as db:  # committed in this thread (deps.py)
        order = review.reject(db, staff, order_no, body.reason_codes, body.detail, ctx.clock())
        return views.decision(db, order)
