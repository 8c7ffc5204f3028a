"""ORG-MR-5..10 / PER-MR-5..7 as the applicant's pages: the manual-review page of an order
(the PER-MR wizard or the ORG-MR form), 保存, 打印申请表, one upload widget per document
slot, 提交 / 重新提交, and after a rejection the reasons with 编辑.

Every action calls the ``/api`` route function (``routers/manual_review.py``,
``routers/documents.py``) with the page's applicant, so a page refuses exactly what the
API refuses, in the same words. Uploads are multipart: the page's ES module
(``static/manual.js``) posts them with the ``X-CSRF-Token`` header and shows the answer
in place (docs/decisions/portal.md).
"""

from __future__ import annotations

import base64
from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response

from szca_unlock.api.manual import ManualForm
from szca_unlock.documents.application_form import ORG_ID_TYPE
from szca_unlock.documents.regions import cities, provinces
from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.domain.errors import DomainError
from szca_unlock.domain.order_form import ORG_FIELDS, PERSONAL_FIELDS
from szca_unlock.providers.face import qr_png
from szca_unlock.service.deps import Ctx
from szca_unlock.service.logic import manual_form, orders
from szca_unlock.service.params import RowId
from szca_unlock.service.routers import documents as documents_api
from szca_unlock.service.routers import manual_review as manual_api
from szca_unlock.service.routers.documents import file_response
from szca_unlock.service.web.forms import parse_form
from szca_unlock.service.web.render import page_error, render
from szca_unlock.service.web.session import PageApplicant

router = APIRouter(include_in_schema=False)
_PAGE = "/orders/{order_no}/manual"
FORM_FIELDS = (*ORG_FIELDS, *PERSONAL_FIELDS)
# What to do with the printed 申请表 (ORG-MR-6's words; a 自然人 has no seal to add).
SIGN_INSTRUCTIONS = {
    CertificateKind.ORG: "确认信息无误后，打印申请表格。"
                         "表格必须经办人手写签名，补充申请日期，加盖单位公章。",
    CertificateKind.ORG_PERSONAL: "确认信息无误后，打印申请表格。"
                                  "表格必须申请人手写签名，补充申请日期，加盖单位公章。",
    CertificateKind.NATURAL: "确认信息无误后，打印申请表格。表格必须申请人手写签名，补充申请日期。",
}
UPLOAD_TIPS = {
    CertificateKind.ORG: "温馨提示：所有资料加盖单位公章；资料需清晰可见；"
                         "若需要加水印，请写明办理数字证书使用。",
    "personal": "温馨提示：人工审核方式若为非医疗类证书需上传身份证扫描件+本人手持身份证照片。"
                "医疗类证书可上传身份证扫描件+工作证（若无工作证可上传本人手持身份证照片）。",
}
ACCEPT = ".jpg,.jpeg,.bmp,.gif,.pdf,image/jpeg,image/bmp,image/gif,application/pdf"


def _poll_face(order_no: str, caller: PageApplicant, ctx: Ctx) -> None:
    """A pending ORG-MR-8 check is asked about now, as the API's GET does, so a reload
    (or the page without script) shows the outcome; a provider that does not answer
    leaves it pending (the page's status line keeps asking)."""
    try:
        with ctx.db.session(readonly=True) as db:
            manual_api.poll_face(order_no, caller, ctx, db)
    except DomainError:
        pass


def _face(data: dict[str, Any]) -> dict[str, Any]:
    """The face check as the page shows it: a pending check with its QR code (the
    provider's URL, drawn here as the RT face page does)."""
    face = dict(data["face"])
    if face["status"] == "pending" and face["url"] and not face["qr_png_base64"]:
        face["qr_png_base64"] = base64.b64encode(qr_png(face["url"])).decode()
    return face


def _manual_page(request: Request, caller: PageApplicant, ctx: Ctx, order_no: str, *,
                 values: dict[str, Any] | None = None, error: dict[str, Any] | None = None,
                 status_code: int = 200) -> Response:
    with ctx.db.session(readonly=True) as db:
        kind = orders.own_order(db, caller, order_no).certificate.kind
    if kind is CertificateKind.ORG:
        _poll_face(order_no, caller, ctx)
    with ctx.db.session(readonly=True) as db:
        view = manual_api.get_manual(order_no, caller, db)
    data = view.model_dump()
    shown_fields = ORG_FIELDS if kind is CertificateKind.ORG else \
        PERSONAL_FIELDS
    if error and error["field"] not in shown_fields:
        error = {**error, "field": ""}  # no input of that name here: the page's alert
    saved = data["fields"] or {}
    typed = values if values is not None else saved
    shown = {name: "" if typed.get(name) is None else str(typed[name]) for name in FORM_FIELDS}
    shown["fee"] = shown["fee"] or "0"  # 证书解锁不收取费用
    province = str(shown.get("province") or "")
    title = "证书解锁 · 人工审核" if kind is not CertificateKind.ORG else "机构证书人工审核解锁"
    return render(request, "manual.html", {
        "m": data, "order": data["order"], "values": shown, "error": error,
        "face": _face(data),
        "is_org": kind is CertificateKind.ORG, "org_id_type": ORG_ID_TYPE,
        "provinces": provinces(),
        "cities": cities(province) if province in provinces() else [],
        "sign_instructions": SIGN_INSTRUCTIONS[kind],
        "upload_tip": UPLOAD_TIPS.get(kind, UPLOAD_TIPS["personal"]),
        "accept": ACCEPT, "logged_in": True,
    }, page="manual", title=title, status_code=status_code)


@router.get(_PAGE)
def manual_page(request: Request, order_no: str, caller: PageApplicant, ctx: Ctx) -> Response:
    return _manual_page(request, caller, ctx, order_no)


@router.post(f"{_PAGE}/form")
async def save_form(request: Request, order_no: str, caller: PageApplicant,
                    ctx: Ctx) -> Response:
    """保存: the form through the API's model and rules; a refusal is shown at its field
    with what was typed kept."""
    form = await request.form()
    values = {name: str(form.get(name, "")).strip() for name in FORM_FIELDS}
    try:
        body = parse_form(ManualForm, form, fields=FORM_FIELDS)
        manual_api.save_form(order_no, body, caller, ctx)
    except DomainError as exc:
        error = page_error(exc)
        return _manual_page(request, caller, ctx, order_no, values=values, error=error,
                            status_code=int(error["status"]))
    return RedirectResponse(f"/orders/{order_no}/manual#print", status_code=303)


@router.get(f"{_PAGE}/application-form.pdf")
def application_form(order_no: str, caller: PageApplicant, ctx: Ctx,
                     download: bool = False) -> Response:
    """打印申请表: the API's PDF, opened in the browser's viewer (or saved with ``download``)."""
    pdf = manual_form.application_pdf(ctx, lambda db: orders.own_order(db, caller, order_no))
    return file_response(pdf, "application/pdf", f"数字证书解锁申请表-{order_no}.pdf",
                         inline=not download)


@router.post(f"{_PAGE}/documents/{{slot}}")
def upload(order_no: str, slot: str, file: Annotated[UploadFile, File()],
           caller: PageApplicant, ctx: Ctx) -> Response:
    """One slot's file (a new one replaces the old); JSON for the page's module: the
    stored document, or the refusal with its field (nothing stored)."""
    try:
        with ctx.db.session(readonly=True) as db:
            view = documents_api.upload_document(order_no, slot, file, caller, ctx, db)
    except DomainError as exc:
        error = page_error(exc)
        return JSONResponse({"error": {**error, "field": slot}},
                            status_code=int(error["status"]))
    return JSONResponse(view.model_dump(mode="json"), status_code=201)


@router.get(f"{_PAGE}/documents/{{document_id}}")
def document(order_no: str, document_id: RowId, caller: PageApplicant, ctx: Ctx) -> Response:
    with ctx.db.session(readonly=True) as db:
        return documents_api.download_document(order_no, document_id, caller, ctx, db)


@router.get(f"{_PAGE}/documents/{{document_id}}/preview")
def preview(order_no: str, document_id: RowId, caller: PageApplicant, ctx: Ctx) -> Response:
    with ctx.db.session(readonly=True) as db:
        return documents_api.preview_document(order_no, document_id, caller, ctx, db)


@router.post(f"{_PAGE}/documents/{{document_id}}/delete")
def delete(request: Request, order_no: str, document_id: RowId, caller: PageApplicant,
           ctx: Ctx) -> Response:
    try:
        documents_api.delete_document(order_no, document_id, caller, ctx)
    except DomainError as exc:
        error = page_error(exc)
        return _manual_page(request, caller, ctx, order_no, error={**error, "field": ""},
                            status_code=int(error["status"]))
    return RedirectResponse(f"/orders/{order_no}/manual#documents", status_code=303)


@router.post(f"{_PAGE}/face")
def start_face(request: Request, order_no: str, caller: PageApplicant, ctx: Ctx) -> Response:
    """ORG-MR-8 开始人脸验证: the API's start (the operator named in the saved form); the
    page then shows the QR code and follows the check."""
    try:
        with ctx.db.session(readonly=True) as db:
            manual_api.start_face(order_no, caller, ctx, db)
    except DomainError as exc:
        error = page_error(exc)
        return _manual_page(request, caller, ctx, order_no, error={**error, "field": ""},
                            status_code=int(error["status"]))
    return RedirectResponse(f"/orders/{order_no}/manual#face-section", status_code=303)


@router.get(f"{_PAGE}/face/status")
def face_status(order_no: str, caller: PageApplicant, ctx: Ctx) -> Response:
    """The live status of the operator's face check for the page's script (JSON: the
    API's own answer, without the QR image)."""
    try:
        with ctx.db.session(readonly=True) as db:
            view = manual_api.poll_face(order_no, caller, ctx, db)
    except DomainError as exc:
        error = page_error(exc)
        return JSONResponse({"error": error}, status_code=int(error["status"]),
                            headers={"Cache-Control": "no-store"})
    return JSONResponse(view.model_dump(mode="json"), headers={"Cache-Control": "no-store"})


@router.post(f"{_PAGE}/submit")
def submit(request: Request, order_no: str, caller: PageApplicant, ctx: Ctx) -> Response:
    """提交 / 重新提交: the API's submit (its checks: form saved, every document there)."""
    try:
        manual_api.submit(order_no, caller, ctx)
    except DomainError as exc:
        error = page_error(exc)
        return _manual_page(request, caller, ctx, order_no, error={**error, "field": ""},
                            status_code=int(error["status"]))
    return RedirectResponse(f"/orders/{order_no}/manual", status_code=303)
