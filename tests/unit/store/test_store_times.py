"""Times: any aware datetime in, the same instant back as aware UTC, on every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import StatementError
from store_fixtures import NOW, OpenOrder

from szca_unlock.store import Database
from szca_unlock.store.repo_orders import get_order, list_orders_by_owner

BEIJING = timezone(timedelta(hours=8))


def test_beijing_time_comes_back_as_the_same_instant_in_utc(
        db: Database, open_order: OpenOrder) -> None:
    order_no = open_order(now=NOW)
    deadline = datetime(2026, 12, 1, 17, 30, 15, 123456, tzinfo=BEIJING)
    with db.session() as s:
        get_order(s, order_no).review_deadline = deadline
    with db.session(readonly=True) as s:
        stored = get_order(s, order_no).review_deadline
    assert stored is not None
    assert stored.tzinfo is UTC
    assert stored == deadline  # same instant, microseconds kept
    assert stored.hour == 9


def test_orders_sort_by_instant_not_by_written_offset(db: Database, open_order: OpenOrder) -> None:
    # Written in Beijing time, 7 h later on the wall clock but 1 h *earlier* in UTC.
    later = open_order(now=NOW)
    earlier = open_order(now=(NOW - timedelta(hours=1)).astimezone(BEIJING))
    with db.session(readonly=True) as s:
        assert [o.order_no for o in list_orders_by_owner(s, "13800138000")] == [later, earlier]


def test_naive_datetime_is_refused(db: Database, open_order: OpenOrder) -> None:
    order_no = open_order()
    with pytest.raises(StatementError, match="naive datetime"), db.session() as s:
        get_order(s, order_no).review_deadline = datetime(2026, 12, 1, 9, 0)
        s.flush()
