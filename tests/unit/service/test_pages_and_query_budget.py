"""Paginated lists (我的业务单, the review queue) and a fixed number of SQL statements per
request, whatever the number of rows (store/pages.py, docs/api.md § Pagination).

The statements are counted with an SQLAlchemy ``before_cursor_execute`` listener on the
service's engine. Each route gets a budget; the same request with 3 and with 40 matching
rows must make the same number of statements (the queue used to make 4 + N: one audit
trail load per waiting order)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from szca_unlock.domain.certificates import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    Holder,
)
from szca_unlock.domain.order_form import OrderForm, PersonalApplication
from szca_unlock.domain.orders import OrderEvent, OrderMode
from szca_unlock.store import StaffRole
from szca_unlock.store.passwords import hash_password
from szca_unlock.store.repo_access import upsert_staff_user
from szca_unlock.store.repo_orders import create_order
from szca_unlock.store.repo_pki import CertificateUpsert, upsert_certificates
from szca_unlock.store.transitions import apply_transition

MOBILE = "13800138000"
OTHER = "13900139000"
DER = b"\x30" * 900  # a list row must not carry it
BIG_FORM = PersonalApplication("表" * 2000, "110101199003074258", OTHER)  # nor this

# Statements per request, authentication included (session lookup + at most one slide).
# Measured 2026-12-03, the same with 3 and with 40 rows: the session, then for an
# applicant's order routes the idle-order check (one indexed query), then the page or
# the order with its history, verifications and unlock authorisations.
BUDGETS = {"GET /api/orders": 3, "GET /api/staff/reviews": 4, "GET /api/orders/{no}": 6,
           "GET /api/auth/me": 2}


def _certificate(i: int, now: Any) -> Certificate:
    return Certificate(
        serial_hex=f"7A{i:06X}", subject_dn=f"CN=持有人{i},L=深圳市,ST=广东省,C=CN",
        kind=CertificateKind.NATURAL, medical=i % 2 == 0, not_before=now - timedelta(days=9),
        not_after=now + timedelta(days=300), status=CertificateStatus.VALID,
        key_serial=f"SZ7{i:09d}", holder=Holder(f"持有人{i}", "110101199003074258"))


def _seed(client: TestClient, clock: Any, *, mine: int, waiting: int, others: int = 2) -> None:
    """``mine`` real-time orders of MOBILE (one a minute apart), ``waiting`` submitted
    manual orders of OTHER (deadlines a day apart), ``others`` drafts of OTHER."""
    db = client.app.state.ctx.db  # type: ignore[attr-defined]
    now = clock()
    total = mine + waiting + others
    with db.session() as s:
        rows = upsert_certificates(s, [CertificateUpsert(_certificate(i, now), DER, None)
                                       for i in range(total)])
        for i in range(mine):
            create_order(s, certificate=rows[i], mode=OrderMode.REALTIME, owner_mobile=MOBILE,
                         now=now + timedelta(minutes=i))
        for i in range(waiting):
            order = create_order(s, certificate=rows[mine + i], mode=OrderMode.MANUAL,
                                 owner_mobile=OTHER, now=now,
                                 form=OrderForm(fields=BIG_FORM, revision=1, saved_at=now))
            apply_transition(s, order, OrderEvent.SUBMIT, "applicant", at=now)
            # deadlines in reverse order of creation: the queue must sort, not follow ids
            order.review_deadline = now + timedelta(days=waiting - i)
            order.form = replace(order.form, deadline_estimated=i == 0)
        for i in range(others):
            create_order(s, certificate=rows[mine + waiting + i], mode=OrderMode.REALTIME,
                         owner_mobile=OTHER, now=now)
        upsert_staff_user(s, "reviewer1", hash_password("Review-2026!"), display_name="审核员",
                          role=StaffRole.REVIEWER)


def _login(client: TestClient, providers: Any, mobile: str = MOBILE) -> dict[str, str]:
    assert client.post("/api/auth/sms-code", json={"mobile": mobile}).status_code == 202
    answer = client.post("/api/auth/login",
                         json={"mobile": mobile, "code": providers.sms.last_code(mobile)})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def _staff(client: TestClient) -> dict[str, str]:
    answer = client.post("/api/staff/login",
                         json={"username": "reviewer1", "password": "Review-2026!"})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


@contextmanager
def counting(client: TestClient) -> Iterator[list[str]]:
    engine = client.app.state.ctx.db.engine  # type: ignore[attr-defined]
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _statements(client: TestClient, path: str, headers: dict[str, str]) -> int:
    with counting(client) as statements:
        answer = client.get(path, headers=headers)
    assert answer.status_code == 200, answer.text
    return len(statements)


def _pages(client: TestClient, path: str, headers: dict[str, str], key: str,
           limit: int) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        query = f"?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(path + query, headers=headers).json()
        pages.append([o["order_no"] for o in body[key]])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages


def test_my_orders_come_newest_first_one_page_at_a_time(client: TestClient, clock: Any,
                                                        providers: Any) -> None:
    _seed(client, clock, mine=7, waiting=0)
    headers = _login(client, providers)
    pages = _pages(client, "/api/orders", headers, "orders", limit=3)
    assert [len(p) for p in pages] == [3, 3, 1]
    everything = client.get("/api/orders", headers=headers).json()
    assert everything["next_cursor"] is None
    newest_first = [o["order_no"] for o in everything["orders"]]
    assert [n for p in pages for n in p] == newest_first == sorted(newest_first, reverse=True)
    row = everything["orders"][0]
    assert set(row) == {"order_no", "mode", "mode_label", "state", "state_label",
                        "certificate_serial", "certificate_type", "subject_dn",
                        "created_at", "updated_at"}
    assert row["certificate_type"].endswith("（医疗类）") or "医疗" not in row["certificate_type"]


def test_the_review_queue_pages_by_deadline_and_counts_every_waiting_order(
        client: TestClient, clock: Any, providers: Any) -> None:
    _seed(client, clock, mine=0, waiting=5)
    headers = _staff(client)
    first = client.get("/api/staff/reviews?limit=2", headers=headers).json()
    assert first["count"] == 5 and len(first["orders"]) == 2
    pages = _pages(client, "/api/staff/reviews", headers, "orders", limit=2)
    queue = [n for p in pages for n in p]
    assert [len(p) for p in pages] == [2, 2, 1]
    whole = client.get("/api/staff/reviews", headers=headers).json()["orders"]
    assert [o["order_no"] for o in whole] == queue
    deadlines = [o["deadline"]["due"] for o in whole]
    assert deadlines == sorted(deadlines)
    assert queue == sorted(queue, reverse=True)  # the last created has the nearest deadline
    first_submitted = next(o for o in whole if o["order_no"] == min(queue))
    assert first_submitted["deadline"]["estimated"] is True
    assert all(o["submitted_at"] and o["holder_name"].startswith("持有人") for o in whole)


@pytest.mark.parametrize("cursor", ["x", "bm90IGpzb24", "WzEsMiwzXQ", "WyJub3QgYSBkYXRlIiwxXQ",
                                    "WyIyMDI2LTExLTI2VDAxOjAwOjAwKzAwOjAwIiwtMV0"])
def test_a_bad_cursor_is_a_clear_422(client: TestClient, providers: Any, cursor: str) -> None:
    answer = client.get(f"/api/orders?cursor={cursor}", headers=_login(client, providers))
    assert answer.status_code == 422
    assert answer.json()["error"] == {"code": "invalid_cursor", "field": "cursor",
                                      "message": "翻页参数无效，请回到第一页重新查看"}


@pytest.mark.parametrize("limit", ["0", "101", "abc"])
def test_a_bad_page_size_is_a_clear_422(client: TestClient, providers: Any, limit: str) -> None:
    answer = client.get(f"/api/orders?limit={limit}", headers=_login(client, providers))
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["field"] == "limit" and "每页条数" in error["message"]


def _budget_run(client: TestClient, clock: Any, providers: Any, rows: int) -> dict[str, int]:
    _seed(client, clock, mine=rows, waiting=rows)
    applicant, staff = _login(client, providers), _staff(client)
    some_order = client.get("/api/orders", headers=applicant).json()["orders"][0]["order_no"]
    return {
        "GET /api/orders": _statements(client, "/api/orders?limit=100", applicant),
        "GET /api/staff/reviews": _statements(client, "/api/staff/reviews?limit=100", staff),
        "GET /api/orders/{no}": _statements(client, f"/api/orders/{some_order}", applicant),
        "GET /api/auth/me": _statements(client, "/api/auth/me", applicant),
    }


@pytest.mark.parametrize("rows", [3, 40])
def test_each_route_stays_within_its_query_budget_whatever_the_rows(
        client: TestClient, clock: Any, providers: Any, rows: int) -> None:
    counts = _budget_run(client, clock, providers, rows)
    over = {route: n for route, n in counts.items() if n > BUDGETS[route]}
    assert not over, f"statements per request over budget {BUDGETS}: {over}"
