"""Concurrent writers: order numbers stay distinct, one certificate gets one open order.

Threads each use their own session (one transaction each), like request handlers do; on
PostgreSQL they really run at once (READ COMMITTED), on SQLite they queue on the lock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from store_fixtures import MOBILE, NOW, make_certificate

from szca_unlock.domain.orders import OrderMode
from szca_unlock.store import Database
from szca_unlock.store.repo_orders import create_order, list_open_orders_for_certificate
from szca_unlock.store.repo_pki import get_certificate_by_serial, upsert_certificate

T = TypeVar("T")
THREADS = 8


def _all_at_once(work: Callable[[int], T], threads: int = THREADS) -> list[T]:
    """Runs ``work(i)`` in ``threads`` threads released together; re-raises any failure."""
    barrier = threading.Barrier(threads)

    def run(i: int) -> T:
        barrier.wait(timeout=10)
        return work(i)

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(run, range(threads)))


def test_first_orders_of_a_day_racing_all_get_distinct_numbers(db: Database) -> None:
    with db.session() as s:
        upsert_certificate(s, make_certificate())

    def open_orders(_: int) -> list[str]:
        numbers = []
        for _ in range(3):  # the first round races to create the day's counter row
            with db.session() as s:
                cert = get_certificate_by_serial(s, "1A2B3C")
                numbers.append(create_order(s, certificate=cert, mode=OrderMode.MANUAL,
                                            owner_mobile=MOBILE, now=NOW).order_no)
        return numbers

    numbers = [n for batch in _all_at_once(open_orders) for n in batch]
    assert sorted(numbers) == [f"JS20261126{i:04d}" for i in range(1, 3 * THREADS + 1)]


def test_two_openers_of_one_certificate_open_one_order(db: Database) -> None:
    with db.session() as s:
        upsert_certificate(s, make_certificate())

    def open_unless_open(_: int) -> bool:
        with db.session() as s:
            cert = get_certificate_by_serial(s, "1A2B3C")
            if list_open_orders_for_certificate(s, cert.id, lock_certificate=True):
                return False
            time.sleep(0.05)  # widen the check-then-insert window a racing writer would use
            create_order(s, certificate=cert, mode=OrderMode.REALTIME, owner_mobile=MOBILE,
                         now=NOW)
            return True

    assert sorted(_all_at_once(open_unless_open, 4)) == [False, False, False, True]
    with db.session(readonly=True) as s:
        cert = get_certificate_by_serial(s, "1A2B3C")
        assert len(list_open_orders_for_certificate(s, cert.id)) == 1
