"""ORG-MR-7 / PER-MR-6: upload, replace, delete, read and preview an order's documents.

Every file is inspected before a byte is stored (as documents/intake.py does, but in the
CPU pool), so a refused file leaves nothing behind. Replace and delete only change the
order's records: the stored original stays, and the reviewer can still see it in the
order's history.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.orm import Session

from szca_unlock.documents.inspect import Preview
from szca_unlock.domain.uploads import MAX_UPLOAD_BYTES, UploadKind
from szca_unlock.logsetup import get_logger
from szca_unlock.service import cpu_tasks
from szca_unlock.service.context import ServiceContext
from szca_unlock.service.errors import Conflict
from szca_unlock.service.logic.manual_form import OrderLoader, require_editable
from szca_unlock.service.logic.manual_slots import SlotRules, rules_for
from szca_unlock.service.logic.upload_store import storage_for
from szca_unlock.store.models_orders import DocumentRow, OrderRow
from szca_unlock.store.repo_order_parts import add_document, get_document, list_documents

log = get_logger("service.uploads")

# Old IE sends the full local path ("C:\Users\...\scan.jpg"); only such a drive path is
# cut to its base name. Any other path-like name ("../x", "a/b") is still refused.
_WINDOWS_DRIVE_PATH = re.compile(r"^[A-Za-z]:\\")
# Read at most this much of a request's file: enough to tell "too large" from "fits".
READ_LIMIT = MAX_UPLOAD_BYTES + 1


def client_basename(filename: str) -> str:
    if _WINDOWS_DRIVE_PATH.match(filename or ""):
        return filename.rsplit("\\", 1)[-1]
    return filename


def slot_rules(order: OrderRow) -> SlotRules:
    return rules_for(order.certificate.kind, order.certificate.medical)


def upload(ctx: ServiceContext, load: OrderLoader, slot: str, filename: str, data: bytes,
           now: datetime) -> DocumentRow:
    """Store one file for ``slot``; a file already there is marked replaced (kept).
    The file is decoded in the CPU pool with no transaction open."""
    with ctx.db.session(readonly=True) as db:
        order = load(db)
        require_editable(order)
        slot_rules(order).slot(slot)
    inspected = ctx.cpu.run(cpu_tasks.inspect, client_basename(filename), data, "file")
    if isinstance(inspected, cpu_tasks.Refused):
        raise inspected.error()  # nothing stored
    stored = storage_for(ctx).put(data, inspected.content_type)
    with ctx.db.session() as db:
        order = load(db)
        require_editable(order)  # it may have been submitted meanwhile
        row = add_document(db, order, slot=slot, filename=inspected.filename,
                           content_type=stored.content_type, size_bytes=stored.size,
                           sha256=stored.sha256, storage_path=str(stored.path), now=now)
        # The round the file will be reviewed in: the next submission's.
        row.review_round = order.review_round + 1
        order.updated_at = now
    log.info("order %s: %s uploaded (%s, %d bytes)", order.order_no, slot,
             stored.content_type, stored.size)
    return row


def current_documents(db: Session, order: OrderRow) -> list[DocumentRow]:
    return list_documents(db, order)


def all_documents(db: Session, order: OrderRow) -> list[DocumentRow]:
    """Every file ever uploaded for the order, replaced and deleted ones included."""
    return list_documents(db, order, include_replaced=True)


def delete(db: Session, order: OrderRow, document_id: int, now: datetime) -> None:
    """Withdraw a file before submission: the record is flagged, the stored file stays."""
    require_editable(order)
    row = get_document(db, order, document_id)
    if row.replaced:
        raise Conflict("document.withdrawn", "该材料已被替换或删除")
    row.replaced = True
    order.updated_at = now
    db.flush()
    log.info("order %s: %s withdrawn", order.order_no, row.slot)


def read(ctx: ServiceContext, db: Session, order: OrderRow,
         document_id: int) -> tuple[DocumentRow, bytes]:
    row = get_document(db, order, document_id)
    return row, storage_for(ctx).read(row.sha256)


def kind_of(row: DocumentRow) -> UploadKind:
    return next(k for k in UploadKind if k.mime_type == row.content_type)


def preview(ctx: ServiceContext, db: Session, order: OrderRow, document_id: int) -> Preview:
    row, data = read(ctx, db, order, document_id)
    return ctx.cpu.run(cpu_tasks.preview, data, kind_of(row))
