"""The reviewers' console (ORG-MR-9 / PER-MR-7 as CA staff see it) as pages: staff login,
the review queue (nearest deadline first, overdue marked), one order with its form, every
uploaded file, the face check and the history, and 通过 / 驳回 with reasons.

The data and every rule are the staff API's (``routers/staff.py`` → ``logic.review`` →
``views.staff``); the console only swaps the bearer token for its own cookie
(``session.page_staff``), so a page refuses exactly what ``/api/staff`` refuses.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from szca_unlock.domain.errors import DomainError
from szca_unlock.service.deps import Ctx, ReadDb, client_address
from szca_unlock.service.logic import review
from szca_unlock.service.logic.manual_form import LABELS
from szca_unlock.service.logic.sessions import close_session
from szca_unlock.service.logic.staff_login import staff_login
from szca_unlock.service.params import PageCursor, RowId
from szca_unlock.service.routers import staff as staff_api
from szca_unlock.service.views import staff as views
from szca_unlock.service.web.render import page_error, render
from szca_unlock.service.web.session import (
    CONSOLE,
    PageStaff,
    clear_staff_cookie,
    page_staff,
    set_staff_cookie,
)

router = APIRouter(prefix=CONSOLE, include_in_schema=False)
QUEUE = f"{CONSOLE}/reviews"
# The console's own pages embed the order's PDFs (application form, scans) in a frame;
# every other answer of the site keeps frame-ancestors 'none' (web/security.py).
_FRAMEABLE = {"Content-Security-Policy": "frame-ancestors 'self'",
              "X-Frame-Options": "SAMEORIGIN"}


def _safe_next(next_path: str | None) -> str:
    """A console path only: never another site, never an applicant page."""
    if next_path and next_path.startswith(f"{CONSOLE}/") and "//" not in next_path:
        return next_path
    return QUEUE


def _console(request: Request, template: str, context: dict[str, Any], *, title: str,
             page: str, status_code: int = 200) -> Response:
    return render(request, template, {"console": True, **context}, page=page, title=title,
                  status_code=status_code)


def _login_page(request: Request, *, username: str = "", next_path: str = QUEUE,
                error: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    return _console(request, "console_login.html",
                    {"username": username, "next": next_path, "error": error},
                    title="审核人员登录", page="console-login", status_code=status_code)


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    return _login_page(request, next_path=_safe_next(next))


@router.post("/login")
def log_in(request: Request, ctx: Ctx, username: Annotated[str, Form()] = "",
           password: Annotated[str, Form()] = "",
           next: Annotated[str, Form()] = QUEUE) -> Response:
    try:
        ctx.limiter.hit(ctx.limits.login, client_address(request))
        if not username.strip() or not password:
            raise DomainError("staff.credentials_required", "请输入用户名和密码",
                              "username" if not username.strip() else "password")
        token, _, _ = staff_login(ctx, username.strip(), password)
    except DomainError as exc:
        return _login_page(request, username=username, next_path=_safe_next(next),
                           error=page_error(exc), status_code=int(page_error(exc)["status"]))
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_staff_cookie(response, request, token)
    return response


@router.post("/logout")
def log_out(request: Request, ctx: Ctx) -> Response:
    try:
        staff = page_staff(request, ctx)
    except Exception:  # already logged out or expired: just clear the cookie
        staff = None
    if staff is not None:
        with ctx.db.session() as db:
            close_session(db, staff.session_id)
    response = RedirectResponse(f"{CONSOLE}/login", status_code=303)
    clear_staff_cookie(response)
    return response


@router.get("/reviews")
def queue(request: Request, staff: PageStaff, ctx: Ctx, db: ReadDb, cursor: PageCursor = None,
          done: str | None = None, outcome: str | None = None) -> Response:
    """One page of 50, nearest deadline first; 下一页 follows the API's cursor."""
    listing = staff_api.review_queue(staff, ctx, db, limit=50, cursor=cursor)
    return _console(request, "console_queue.html",
                    {"queue": listing.model_dump(),
                     "done_message": _outcome_message(done, outcome)},
                    title="待审核业务单", page="console-queue")


def _review_page(request: Request, db: Any, order_no: str, *,
                 error: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    detail = views.review_detail(db, review.order_for_review(db, order_no))
    fields = [(LABELS.get(name, name), value)
              for name, value in (detail.fields or {}).items()]
    return _console(request, "console_review.html",
                    {"review": detail.model_dump(), "fields": fields, "error": error},
                    title=f"审核业务单 {order_no}", page="console-review",
                    status_code=status_code)


@router.get("/reviews/{order_no}")
def open_review(request: Request, order_no: str, staff: PageStaff, db: ReadDb) -> Response:
    return _review_page(request, db, order_no)


@router.get("/reviews/{order_no}/documents/{document_id}")
def document(order_no: str, document_id: RowId, staff: PageStaff, ctx: Ctx,
             db: ReadDb) -> Response:
    answer = staff_api.review_document(order_no, document_id, staff, ctx, db)
    answer.headers.update(_FRAMEABLE)
    return answer


@router.get("/reviews/{order_no}/documents/{document_id}/preview")
def document_preview(order_no: str, document_id: RowId, staff: PageStaff, ctx: Ctx,
                     db: ReadDb) -> Response:
    return staff_api.review_preview(order_no, document_id, staff, ctx, db)


@router.get("/reviews/{order_no}/application-form.pdf")
def application_form(order_no: str, staff: PageStaff, ctx: Ctx) -> Response:
    answer = staff_api.review_application_form(order_no, staff, ctx)
    answer.headers.update(_FRAMEABLE)
    return answer


# What the queue says after a decision; the redirect names the outcome, never free text
# (a crafted link cannot put words on a reviewer's page).
_OUTCOMES = {
    "approved": "业务单 {order_no} 审核通过，已短信通知申请人。",
    "approved-unnotified": "业务单 {order_no} 审核通过，但短信通知未发出，请电话联系申请人。",
    "rejected": "业务单 {order_no} 已驳回，申请人可修改后重新提交。",
}


def _decided(order_no: str, outcome: str) -> Response:
    return RedirectResponse(f"{QUEUE}?done={quote(order_no)}&outcome={outcome}",
                            status_code=303)


def _outcome_message(done: str | None, outcome: str | None) -> str:
    if not done or not done.isalnum() or len(done) > 40 or outcome not in _OUTCOMES:
        return ""
    return _OUTCOMES[outcome].format(order_no=done)


@router.post("/reviews/{order_no}/approve")
def approve(request: Request, order_no: str, staff: PageStaff, ctx: Ctx,
            note: Annotated[str, Form(max_length=500)] = "") -> Response:
    try:
        with ctx.db.session() as db:
            _, notice = review.approve(ctx, db, staff, order_no, note, ctx.clock())
    except DomainError as exc:
        return _refused(request, ctx, order_no, exc)
    return _decided(order_no, "approved" if notice.sent else "approved-unnotified")


@router.post("/reviews/{order_no}/reject")
def reject(request: Request, order_no: str, staff: PageStaff, ctx: Ctx,
           reason_codes: Annotated[list[str] | None, Form(max_length=64)] = None,
           detail: Annotated[str, Form(max_length=500)] = "") -> Response:
    try:
        with ctx.db.session() as db:
            review.reject(db, staff, order_no, reason_codes or [], detail.strip() or None,
                          ctx.clock())
    except DomainError as exc:
        return _refused(request, ctx, order_no, exc)
    return _decided(order_no, "rejected")


def _refused(request: Request, ctx: Ctx, order_no: str, exc: DomainError) -> Response:
    """The review page again, the refusal shown on it (an unknown order: the error page)."""
    error = page_error(exc)
    with ctx.db.session(readonly=True) as db:
        try:
            return _review_page(request, db, order_no, error=error,
                                status_code=int(error["status"]))
        except DomainError:
            raise exc from None
