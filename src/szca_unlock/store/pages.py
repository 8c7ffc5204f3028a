"""Lists one page at a time (keyset pagination), in one SQL statement each, whatever the
size of the tables.

A list row carries what a list shows and nothing more: no certificate DER, no order form
(only the one flag of it the queue shows). Each list has a stable order that ends on the
primary key and is served by a composite index (migration 0004):

* 我的业务单: newest first, ``(created_at DESC, id DESC)`` on
  ``ix_orders_owner_created (owner_mobile, created_at, id)``;
* the review queue: the nearest deadline first, ``(review_deadline, id)`` on
  ``ix_orders_queue (state, mode, review_deadline, id)``; orders without a deadline (none
  the service submits; possible for rows written by hand) come after, by id.

The cursor is opaque to clients: base64url of the last row's sort key. A page shorter
than asked for is the last; ``next_cursor`` is then None.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, select, tuple_
from sqlalchemy.orm import Session

from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.domain.errors import ValidationError
from szca_unlock.domain.order_form import OrderForm
from szca_unlock.domain.orders import OrderEvent, OrderMode, OrderState
from szca_unlock.store.models_orders import OrderRow, OrderTransitionRow
from szca_unlock.store.models_pki import CertificateRow, HolderRow, OrganisationRow

MAX_PAGE = 100


class InvalidCursor(ValidationError):
    def __init__(self) -> None:
        super().__init__("invalid_cursor", "翻页参数无效，请回到第一页重新查看", "cursor")


@dataclass(frozen=True)
class OrderListRow:
    """An order as lists show it."""

    id: int
    order_no: str
    mode: OrderMode
    state: OrderState
    created_at: datetime
    updated_at: datetime
    review_round: int
    review_deadline: datetime | None
    deadline_estimated: bool
    certificate_serial: str
    certificate_kind: CertificateKind
    medical: bool
    subject_dn: str
    holder_name: str  # the person, or the organisation for an ORG certificate
    submitted_at: datetime | None = None  # queue only: the current round's submission


@dataclass(frozen=True)
class Page:
    rows: list[OrderListRow]
    next_cursor: str | None


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, datetime) else v for v in values],
                     separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, size: int) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InvalidCursor() from None
    if not isinstance(values, list) or len(values) != size:
        raise InvalidCursor()
    return values


def _cursor_time(value: Any) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidCursor() from None
    if moment.tzinfo is None:
        raise InvalidCursor()
    return moment


def _cursor_id(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
        raise InvalidCursor()
    return value


def _list_columns() -> Select[Any]:
    # The whole form: it is encrypted at rest, so its deadline_estimated is read in Python.
    return (select(OrderRow.id, OrderRow.order_no, OrderRow.mode, OrderRow.state,
                   OrderRow.created_at, OrderRow.updated_at, OrderRow.review_round,
                   OrderRow.review_deadline, OrderRow.form_json, CertificateRow.serial_hex,
                   CertificateRow.kind, CertificateRow.medical, CertificateRow.subject_dn,
                   func.coalesce(HolderRow.name, OrganisationRow.name))
            .select_from(OrderRow)
            .join(CertificateRow, CertificateRow.id == OrderRow.certificate_id)
            .outerjoin(HolderRow, HolderRow.id == CertificateRow.holder_id)
            .outerjoin(OrganisationRow, OrganisationRow.id == CertificateRow.organisation_id))


def _row(values: Sequence[Any]) -> OrderListRow:
    (id_, order_no, mode, state, created, updated, review_round, deadline, form,
     serial, kind, medical, dn, holder, *rest) = values
    return OrderListRow(id_, order_no, mode, state, created, updated, review_round, deadline,
                        OrderForm.from_json(form).deadline_estimated, serial, kind, medical,
                        dn, holder or "", rest[0] if rest else None)


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationError("invalid_limit", f"每页条数应在1到{MAX_PAGE}之间", "limit")
    return limit


def orders_of_owner(session: Session, owner_mobile: str, *, limit: int = 20,
                    cursor: str | None = None) -> Page:
    """我的业务单, newest first."""
    limit = _limit(limit)
    query = _list_columns().where(OrderRow.owner_mobile_hash == owner_mobile)
    if cursor:
        created, last_id = _decode(cursor, 2)
        query = query.where(tuple_(OrderRow.created_at, OrderRow.id) < tuple_(
            bindparam("c_at", _cursor_time(created), type_=OrderRow.created_at.type),
            bindparam("c_id", _cursor_id(last_id))))
    rows = [_row(r) for r in session.execute(
        query.order_by(OrderRow.created_at.desc(), OrderRow.id.desc()).limit(limit + 1))]
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor([rows[-1].created_at, rows[-1].id]) if more else None)


def _waiting() -> Any:
    return and_(OrderRow.state == OrderState.SUBMITTED, OrderRow.mode == OrderMode.MANUAL)


def count_review_queue(session: Session) -> int:
    """How many orders wait for a decision (an index-only count)."""
    return int(session.scalar(select(func.count()).select_from(OrderRow).where(_waiting()))
               or 0)


def review_queue(session: Session, *, limit: int = 50, cursor: str | None = None) -> Page:
    """Orders waiting for a decision, the nearest deadline first (one statement; a second
    only when a page reaches the orders without a deadline)."""
    limit = _limit(limit)
    submitted = (select(func.max(OrderTransitionRow.at))
                 .where(OrderTransitionRow.order_id == OrderRow.id,
                        OrderTransitionRow.event.in_([OrderEvent.SUBMIT, OrderEvent.RESUBMIT]))
                 .correlate(OrderRow).scalar_subquery())
    base = _list_columns().add_columns(submitted).where(_waiting())
    after_deadline: datetime | None = None
    last_id = 0
    if cursor:
        raw_deadline, raw_id = _decode(cursor, 2)
        last_id = _cursor_id(raw_id)
        after_deadline = None if raw_deadline is None else _cursor_time(raw_deadline)
    rows: list[OrderListRow] = []
    if not cursor or after_deadline is not None:
        dated = base.where(OrderRow.review_deadline.is_not(None))
        if after_deadline is not None:
            dated = dated.where(tuple_(OrderRow.review_deadline, OrderRow.id) > tuple_(
                bindparam("c_due", after_deadline, type_=OrderRow.review_deadline.type),
                bindparam("c_id", last_id)))
        rows = [_row(r) for r in session.execute(
            dated.order_by(OrderRow.review_deadline, OrderRow.id).limit(limit + 1))]
    if len(rows) <= limit:
        undated = base.where(OrderRow.review_deadline.is_(None))
        if cursor and after_deadline is None:
            undated = undated.where(OrderRow.id > last_id)
        rows += [_row(r) for r in session.execute(
            undated.order_by(OrderRow.id).limit(limit + 1 - len(rows)))]
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = (encode_cursor([rows[-1].review_deadline, rows[-1].id]) if more else None)
    return Page(rows, next_cursor)


__all__ = ["MAX_PAGE", "InvalidCursor", "OrderListRow", "Page", "count_review_queue",
           "encode_cursor", "orders_of_owner", "review_queue"]
