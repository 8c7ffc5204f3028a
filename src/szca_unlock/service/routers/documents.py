"""ORG-MR-7 / PER-MR-6: an order's documents — multipart upload per slot (a new upload
replaces the slot's file), list, original, preview, delete before submission."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Response, UploadFile, status

from szca_unlock.api.manual import DocumentView
from szca_unlock.service.deps import Applicant, Ctx, ReadDb
from szca_unlock.service.logic import orders, uploads
from szca_unlock.service.logic.manual_form import require_manual
from szca_unlock.service.params import RowId
from szca_unlock.service.responses import APPLICANT_ORDER, STORED_TYPES, binary, errors
from szca_unlock.service.views.manual import document_views

router = APIRouter(prefix="/orders/{order_no}/documents", tags=["manual review"],
                   responses=errors(*APPLICANT_ORDER, 413))


def file_response(data: bytes, media_type: str, filename: str, *,
                  inline: bool = True) -> Response:
    """Bytes with a download name that may be Chinese (RFC 6266 / 5987: an ASCII fallback
    plus the UTF-8 name, since headers are Latin-1 only)."""
    disposition = "inline" if inline else "attachment"
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_")
    return Response(data, media_type=media_type, headers={
        "Content-Disposition": f"{disposition}; filename=\"{ascii_name}\"; "
                               f"filename*=UTF-8''{quote(filename)}",
        "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})


@router.get("")
def list_documents(order_no: str, caller: Applicant, db: ReadDb,
                   all: bool = False) -> list[DocumentView]:
    """The files in use; ``?all=true`` adds replaced and deleted ones (history)."""
    order = orders.own_order(db, caller, order_no)
    require_manual(order)
    views = document_views(order, uploads.all_documents(db, order))
    return views if all else [v for v in views if v.status == "current"]


@router.post("/{slot}", status_code=status.HTTP_201_CREATED)
def upload_document(order_no: str, slot: str, file: Annotated[UploadFile, File()],
                    caller: Applicant, ctx: Ctx, db: ReadDb) -> DocumentView:
    data = file.file.read(uploads.READ_LIMIT)
    row = uploads.upload(ctx, lambda tx: orders.own_order(tx, caller, order_no), slot,
                         file.filename or "", data, ctx.clock())
    order = orders.own_order(db, caller, order_no)  # read after the upload's own commit
    views = document_views(order, uploads.all_documents(db, order))
    return next(v for v in views if v.id == row.id)


@router.get("/{document_id}", responses=binary(*STORED_TYPES))
def download_document(order_no: str, document_id: RowId, caller: Applicant, ctx: Ctx,
                      db: ReadDb) -> Response:
    row, data = uploads.read(ctx, db, orders.own_order(db, caller, order_no), document_id)
    return file_response(data, row.content_type, row.filename)


@router.get("/{document_id}/preview", responses=binary("image/png"))
def preview_document(order_no: str, document_id: RowId, caller: Applicant, ctx: Ctx,
                     db: ReadDb) -> Response:
    preview = uploads.preview(ctx, db, orders.own_order(db, caller, order_no), document_id)
    return Response(preview.png, media_type="image/png",
                    headers={"Cache-Control": "private, no-store"})


@router.delete("/{document_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_document(order_no: str, document_id: RowId, caller: Applicant, ctx: Ctx) -> Response:
    with ctx.db.session() as db:  # committed in this thread (deps.py)
        uploads.delete(db, orders.own_order(db, caller, order_no), document_id, ctx.clock())
        return Response(status_code=status.HTTP_204_NO_CONTENT)
