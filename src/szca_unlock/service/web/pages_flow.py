"""The real-time flows as pages: ORG-RT (单位信息 → 经办人身份验证 → 授权委托书 → 企业验证)
and PER-RT (身份验证), each with its progress bar, then 恭喜!审核已通过 with 立即解锁.

``GET /orders/{no}/unlock`` shows the step the order is at. Every page renders the model
of the matching ``/api`` route (the route functions are the views) and every post calls
that route's function: the pages hold no rule of their own.
"""

from __future__ import annotations

import base64
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from szca_unlock.api.orders import OrderView
from szca_unlock.api.verifications import (
    ConfirmLetter,
    ConfirmOrganisation,
    StartVerification,
    SubmitCode,
    VerificationOutcome,
)
from szca_unlock.domain import pin_policy
from szca_unlock.domain.errors import DomainError
from szca_unlock.domain.orders import OrderState
from szca_unlock.domain.verification_methods import (
    DEFAULT_METHOD,
    Method,
    Step,
)
from szca_unlock.service.deps import Ctx, ReadDb
from szca_unlock.service.logic import assistant
from szca_unlock.service.routers import orders as orders_api
from szca_unlock.service.routers import org_info as org_api
from szca_unlock.service.routers import verifications as verifications_api
from szca_unlock.service.views.portal import (
    STEP_PERSON,
    STEP_TITLES,
    method_choices,
)
from szca_unlock.service.web.forms import parse_form
from szca_unlock.service.web.render import page_error, render
from szca_unlock.service.web.session import PageApplicant

router = APIRouter(include_in_schema=False)

def _step_of(order: OrderView) -> Step | None:
    """The verification the order waits for, or None when the page is not a check."""
    kind, state = order.certificate.kind, OrderState(order.state)
    if kind == "org":
        return {OrderState.ORG_INFO_CONFIRMED: Step.OPERATOR,
                OrderState.AUTHORIZATION_CONFIRMED: Step.ENTERPRISE}.get(state)
    return Step.IDENTITY if state is OrderState.DRAFT else None


def _context(order: OrderView, **extra: Any) -> dict[str, Any]:
    return {"order": order.model_dump(), "logged_in": True, **extra}


def _flow_url(order_no: str) -> str:
    return f"/orders/{order_no}/unlock"


def _latest(order_no: str, step: Step, caller: PageApplicant, ctx: Ctx,
            db: ReadDb) -> VerificationOutcome | None:
    """The step's latest attempt as the API shows it (asking the face or deposit provider
    now); None before the first attempt."""
    try:
        return verifications_api.get_verification(order_no, step, caller, ctx, db)
    except DomainError as exc:
        if exc.code == "verification.not_found":
            return None
        raise


def _prefill(order: OrderView, step: Step, caller: PageApplicant, db: ReadDb) -> dict[str, str]:
    if step is Step.IDENTITY:
        return {"name": order.certificate.holder_name}
    if step is Step.ENTERPRISE:
        info = org_api.get_organisation(order.order_no, caller, db)
        return {"name": info.legal_rep_name or ""}
    return {}


def _verification_page(request: Request, order: OrderView, step: Step, caller: PageApplicant,
                       ctx: Ctx, db: ReadDb, *, form: dict[str, str] | None = None,
                       error: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    outcome = _latest(order.order_no, step, caller, ctx, db)
    attempt = outcome.verification.model_dump() if outcome else None
    if outcome and outcome.order.state != order.state:  # a face pass just moved it on
        return RedirectResponse(_flow_url(order.order_no), status_code=303)
    pending = attempt if attempt and attempt["status"] == "pending" else None
    if pending and pending["face"] and not pending["face"]["qr_png_base64"]:
        from szca_unlock.providers.face import qr_png  # the QR of the provider's URL

        pending["face"]["qr_png_base64"] = base64.b64encode(
            qr_png(pending["face"]["url"])).decode()
    failed = attempt if attempt and attempt["status"] == "failed" else None
    values = {**_prefill(order, step, caller, db), **(form or {})}
    chosen = values.get("method") or (pending or {}).get("method") or DEFAULT_METHOD[step].value
    organisation = order.certificate.organisation
    return render(request, "verify.html", _context(
        order, step=step.value, step_title=STEP_TITLES[step], person=STEP_PERSON[step],
        methods=method_choices(step), chosen=chosen, values=values, pending=pending,
        failed=failed, error=error, organisation=organisation.model_dump() if organisation
        else None), page=f"verify-{step.value}", title=STEP_TITLES[step],
        status_code=status_code)


@router.get("/orders/{order_no}/unlock")
def flow_page(request: Request, order_no: str, caller: PageApplicant, ctx: Ctx,
              db: ReadDb) -> Response:
    order = orders_api.get_order(order_no, caller, ctx)
    state = OrderState(order.state)
    if order.mode != "realtime" or state.is_final:
        return RedirectResponse(f"/orders/{order_no}", status_code=303)
    if "unlock" in order.next_steps:
        return RedirectResponse(f"/orders/{order_no}/result", status_code=303)
    if order.certificate.kind == "org" and state is OrderState.DRAFT:
        return _organisation_page(request, order, caller, db)
    if order.certificate.kind == "org" and state is OrderState.OPERATOR_VERIFIED:
        return _letter_page(request, order, caller, db)
    step = _step_of(order)
    if step is None:
        return RedirectResponse(f"/orders/{order_no}", status_code=303)
    return _verification_page(request, order, step, caller, ctx, db)


# --- ORG-RT-5 单位信息 ------------------------------------------------------------------
def _organisation_page(request: Request, order: OrderView, caller: PageApplicant, db: ReadDb,
                       *, form: dict[str, str] | None = None,
                       error: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    info = org_api.get_organisation(order.order_no, caller, db)
    return render(request, "organisation.html", _context(
        order, organisation=info.model_dump(), values=form or {}, error=error),
        page="organisation", title="解锁信息确认", status_code=status_code)


@router.post("/orders/{order_no}/organisation")
async def confirm_organisation(request: Request, order_no: str, caller: PageApplicant,
                               ctx: Ctx) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        body = parse_form(ConfirmOrganisation, form,
                          fields=("legal_rep_name", "legal_rep_id_number"))
        org_api.confirm_organisation(order_no, body, caller, ctx)
    except DomainError as exc:
        error = page_error(exc)
        order = orders_api.get_order(order_no, caller, ctx)
        with ctx.db.session(readonly=True) as db:
            return _organisation_page(request, order, caller, db, form=form, error=error,
                                      status_code=int(error["status"]))
    return RedirectResponse(_flow_url(order_no), status_code=303)


# --- ORG-RT-7 授权委托书 -------------------------------------------------------------------
def _letter_page(request: Request, order: OrderView, caller: PageApplicant, db: ReadDb, *,
                 error: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    letter = org_api.get_letter(order.order_no, caller, db)
    return render(request, "letter.html", _context(order, letter=letter.model_dump(),
                                                   error=error),
                  page="letter", title=letter.title, status_code=status_code)


@router.post("/orders/{order_no}/authorization-letter")
async def confirm_letter(request: Request, order_no: str, caller: PageApplicant,
                         ctx: Ctx) -> Response:
    form = await request.form()
    try:
        body = parse_form(ConfirmLetter, form, fields=("version",))
        org_api.confirm_letter(order_no, body, caller, ctx)
    except DomainError as exc:
        error = page_error(exc)
        order = orders_api.get_order(order_no, caller, ctx)
        with ctx.db.session(readonly=True) as db:
            return _letter_page(request, order, caller, db, error={**error, "field": ""},
                                status_code=int(error["status"]))
    return RedirectResponse(_flow_url(order_no), status_code=303)


# --- ORG-RT-6 / ORG-RT-8 / PER-RT-5 verifications ------------------------------------------
def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _json_error(exc: DomainError) -> JSONResponse:
    error = page_error(exc)
    return JSONResponse({"error": error}, status_code=int(error["status"]))


def _redisplay(request: Request, order_no: str, step: Step, caller: PageApplicant, ctx: Ctx,
               form: dict[str, str], exc: DomainError) -> Response:
    error = page_error(exc)
    order = orders_api.get_order(order_no, caller, ctx)
    with ctx.db.session(readonly=True) as db:
        if _step_of(order) is not step:  # the order moved on meanwhile: show where it is
            return RedirectResponse(_flow_url(order_no), status_code=303)
        return _verification_page(request, order, step, caller, ctx, db, form=form,
                                  error=error, status_code=int(error["status"]))


def _start_fields(method: str) -> tuple[str, ...]:
    """The fields the chosen method reads (a hidden method's leftovers are not sent)."""
    try:
        extra = Method(method).check.fields
    except ValueError:
        extra = ()
    return ("method", "name", "id_number", *extra)


@router.post("/orders/{order_no}/verifications/{step}")
async def start_verification(request: Request, order_no: str, step: Step,
                             caller: PageApplicant, ctx: Ctx) -> Response:
    """获取验证码 (SMS methods) or 下一步 (face, deposit): start the check."""
    form = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}
    wanted = _start_fields(form.get("method", ""))
    try:
        ctx.limiter.hit(ctx.limits.verification, request.client.host if request.client
                        else "unknown")
        body = parse_form(StartVerification, form, fields=wanted)
        with ctx.db.session(readonly=True) as db:
            outcome = verifications_api.start_verification(order_no, step, body, caller,
                                                           ctx, db)
    except DomainError as exc:
        if _wants_json(request):
            return _json_error(exc)
        return _redisplay(request, order_no, step, caller, ctx, form, exc)
    if _wants_json(request):
        return JSONResponse(outcome.model_dump(mode="json"), status_code=201)
    return RedirectResponse(_flow_url(order_no), status_code=303)


@router.post("/orders/{order_no}/verifications/{step}/code")
async def submit_code(request: Request, order_no: str, step: Step, caller: PageApplicant,
                      ctx: Ctx) -> Response:
    """提交: the SMS code or the deposit remark code."""
    form = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}
    try:
        ctx.limiter.hit(ctx.limits.verification, request.client.host if request.client
                        else "unknown")
        body = parse_form(SubmitCode, form, fields=("code",))
        with ctx.db.session(readonly=True) as db:
            verifications_api.submit_code(order_no, step, body, caller, ctx, db)
    except DomainError as exc:
        return _redisplay(request, order_no, step, caller, ctx, form, exc)
    return RedirectResponse(_flow_url(order_no), status_code=303)


@router.post("/orders/{order_no}/verifications/{step}/resend")
def resend_code(request: Request, order_no: str, step: Step, caller: PageApplicant,
                ctx: Ctx) -> Response:
    try:
        with ctx.db.session(readonly=True) as db:
            outcome = verifications_api.resend_code(order_no, step, caller, ctx, db)
    except DomainError as exc:
        if _wants_json(request):
            return _json_error(exc)
        return _redisplay(request, order_no, step, caller, ctx, {}, exc)
    if _wants_json(request):
        return JSONResponse(outcome.model_dump(mode="json"))
    return RedirectResponse(_flow_url(order_no), status_code=303)


@router.get("/orders/{order_no}/verifications/{step}/status")
def verification_status(order_no: str, step: Step, caller: PageApplicant, ctx: Ctx,
                        db: ReadDb) -> Response:
    """The live status of a face check or a transfer for the page's script (JSON: the API's
    own answer)."""
    try:
        outcome = verifications_api.get_verification(order_no, step, caller, ctx, db)
    except DomainError as exc:
        return _json_error(exc)
    data = outcome.model_dump(mode="json")
    data["next_url"] = _flow_url(order_no)
    return JSONResponse(data, headers={"Cache-Control": "no-store"})


# --- 恭喜!审核已通过 ---------------------------------------------------------------------
@router.get("/orders/{order_no}/result")
def result_page(request: Request, order_no: str, caller: PageApplicant, ctx: Ctx,
                db: ReadDb) -> Response:
    order = orders_api.get_order(order_no, caller, ctx)
    if "unlock" not in order.next_steps:
        return RedirectResponse(f"/orders/{order_no}", status_code=303)
    screen = orders_api.result_screen(order_no, caller, db)
    return render(request, "result.html", _context(order, screen=screen.model_dump(),
                                                   pin_policy=pin_policy.describe()),
                  page="result", title=screen.title)


@router.post("/orders/{order_no}/assistant-ticket")
def assistant_ticket(order_no: str, caller: PageApplicant, ctx: Ctx) -> Response:
    """立即解锁: a one-time ticket for the certificate helper (logic/assistant.py). JSON for
    the pop-up's script; the CSRF check of every page post applies."""
    try:
        with ctx.db.session() as db:  # committed in this thread (deps.py)
            ticket = assistant.issue(db, caller, order_no, ctx.clock())
    except DomainError as exc:
        return _json_error(exc)
    return JSONResponse({"ticket": ticket.ticket, "order_no": ticket.order_no,
                         "expires_at": ticket.expires_at.isoformat()},
                        status_code=201, headers={"Cache-Control": "no-store"})


@router.get("/unlock/face-done")
def face_done(request: Request) -> Response:
    """Where the face H5 page sends the phone back: a local page, never production."""
    return render(request, "face_done.html", {}, page="face-done", title="人脸验证已完成")
