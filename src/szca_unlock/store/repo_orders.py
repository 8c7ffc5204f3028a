"""Business orders: numbering, opening, lookups, the review queue and the audit trail."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from szca_unlock.domain.order_form import OrderForm, StoredPdf
from szca_unlock.domain.orders import OrderMode, OrderState
from szca_unlock.store.base import utcnow
from szca_unlock.store.errors import NotFound
from szca_unlock.store.models_orders import OrderCounterRow, OrderRow, OrderTransitionRow
from szca_unlock.store.models_pki import CertificateRow

# Order numbers carry the Beijing date the user sees (China has no DST: a fixed offset).
CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
ORDER_PREFIX = "JS"  # 解锁 (jiě suǒ)


def next_order_no(session: Session, now: datetime | None = None) -> str:
    """``JS`` + Beijing date + a per-day sequence of at least 4 digits: ``JS202611260001``.

    One atomic upsert on the counter row, inside the caller's transaction: numbers are
    never reused, and two transactions opening the first order of a day cannot both
    insert the row (PostgreSQL makes the second wait on the row, then increment it).
    """
    day = (now or utcnow()).astimezone(CHINA_TZ).strftime("%Y%m%d")
    insert = _UPSERTS.get(session.get_bind().dialect.name)
    if insert is None:
        return f"{ORDER_PREFIX}{day}{_next_seq_locked(session, day):04d}"
    table = OrderCounterRow.__table__
    statement = (insert(table).values(day=day, last_seq=1)
                 .on_conflict_do_update(index_elements=[table.c.day],
                                        set_={"last_seq": table.c.last_seq + 1})
                 .returning(table.c.last_seq))
    return f"{ORDER_PREFIX}{day}{session.execute(statement).scalar_one():04d}"


# Backends with INSERT ... ON CONFLICT DO UPDATE ... RETURNING (one atomic statement).
_UPSERTS: dict[str, Callable[..., Any]] = {"postgresql": postgresql.insert,
                                           "sqlite": sqlite.insert}


def _next_seq_locked(session: Session, day: str) -> int:
    """Other backends: lock the day's row; the first order of a day may still race."""
    counter = session.get(OrderCounterRow, day, with_for_update=True)
    if counter is None:
        counter = OrderCounterRow(day=day, last_seq=0)
        session.add(counter)
    counter.last_seq += 1
    session.flush()
    return counter.last_seq


def create_order(session: Session, *, certificate: CertificateRow, mode: OrderMode,
                 owner_mobile: str, form: OrderForm | None = None,
                 now: datetime | None = None) -> OrderRow:
    """Open an order in DRAFT, bound to the certificate and the key it lives on (C-6)."""
    now = now or utcnow()
    order = OrderRow(order_no=next_order_no(session, now), mode=mode, state=OrderState.DRAFT,
                     certificate=certificate, key_serial=certificate.key_serial,
                     owner_mobile=owner_mobile, created_at=now, updated_at=now,
                     review_round=0, form=form or OrderForm())
    session.add(order)
    session.flush()
    return order


def get_order(session: Session, order_no: str, *, for_update: bool = False) -> OrderRow:
    """``for_update`` locks the order until the transaction ends: requests that decide
    from its state or its counts (unlock budget) then take turns, also across processes."""
    query = select(OrderRow).where(OrderRow.order_no == order_no)
    # of=OrderRow: the eagerly joined rows (certificate, nullable ones) are not locked.
    order = session.scalar(query.with_for_update(of=OrderRow) if for_update else query)
    if order is None:
        raise NotFound("order", "未找到该业务单")
    return order


def get_order_for_owner(session: Session, order_no: str, owner_mobile: str, *,
                        for_update: bool = False) -> OrderRow:
    """An applicant's own order; someone else's is reported exactly like a missing one."""
    order = get_order(session, order_no, for_update=for_update)
    if order.owner_mobile != owner_mobile:
        raise NotFound("order", "未找到该业务单")
    return order


def list_orders_by_owner(session: Session, owner_mobile: str) -> list[OrderRow]:
    """我的业务单: newest first."""
    return list(session.scalars(select(OrderRow).where(OrderRow.owner_mobile_hash == owner_mobile)
                                .order_by(OrderRow.created_at.desc(), OrderRow.id.desc())))


def list_orders_in_states(session: Session, states: Iterable[OrderState], *,
                          mode: OrderMode | None = None) -> list[OrderRow]:
    """E.g. the review queue: SUBMITTED manual orders, oldest first (first come, first served)."""
    query = select(OrderRow).where(OrderRow.state.in_(list(states)))
    if mode is not None:
        query = query.where(OrderRow.mode == mode)
    return list(session.scalars(query.order_by(OrderRow.updated_at, OrderRow.id)))


def list_open_orders_for_certificate(session: Session, certificate_id: int, *,
                                     lock_certificate: bool = False) -> list[OrderRow]:
    """Orders of a certificate that are not finished (to refuse opening a second one).

    ``lock_certificate`` first locks the certificate row until the transaction ends, so
    two transactions that check then open cannot both see none (PostgreSQL reads
    committed data per statement; SQLite's write transactions are serial anyway).
    """
    if lock_certificate:
        session.execute(select(CertificateRow.id).where(CertificateRow.id == certificate_id)
                        .with_for_update())
    finals = [OrderState.COMPLETED, OrderState.CANCELLED]
    return list(session.scalars(select(OrderRow).where(
        OrderRow.certificate_id == certificate_id, OrderRow.state.not_in(finals))
        .order_by(OrderRow.id)))


def list_rendered_forms(session: Session) -> list[StoredPdf]:
    """The application form PDFs the manual orders keep (what the upload sweep must keep)."""
    forms = session.scalars(select(OrderRow.form_json).where(OrderRow.mode == OrderMode.MANUAL))
    return [pdf for pdf in (OrderForm.from_json(form).pdf for form in forms) if pdf is not None]


def list_transitions(session: Session, order: OrderRow) -> list[OrderTransitionRow]:
    return list(session.scalars(select(OrderTransitionRow)
                                .where(OrderTransitionRow.order_id == order.id)
                                .order_by(OrderTransitionRow.id)))
