"""Store fixtures, run on every configured backend.

SQLite (a fresh file per test) always; PostgreSQL too when ``SZCA_TEST_DATABASE_URL``
names one (``postgresql+psycopg://…``, e.g. from scripts/start-postgres.sh; the role needs
CREATEDB). Each PostgreSQL test gets its own database copied from one migrated template,
so tests stay independent and fast. PostgreSQL cases are marked ``postgres``:
``SZCA_TEST_DATABASE_URL=… pytest -m postgres tests/unit/store``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from store_fixtures import MASTER_KEY, MOBILE, NOW, OpenOrder, make_certificate

from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.domain.orders import OrderMode
from szca_unlock.store import Database, upgrade_to_head
from szca_unlock.store.provision import create_database, drop_database
from szca_unlock.store.repo_orders import create_order
from szca_unlock.store.repo_pki import upsert_certificate

PG_URL = os.environ.get("SZCA_TEST_DATABASE_URL", "")


def pytest_configure(config: pytest.Config) -> None:
    # Also in pyproject; registered here so the marker exists whichever file is newer.
    config.addinivalue_line("markers", "postgres: runs against SZCA_TEST_DATABASE_URL")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        params: list[object] = ["sqlite"]
        if PG_URL:
            params.append(pytest.param("postgres", marks=pytest.mark.postgres))
        metafunc.parametrize("backend", params, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _fresh_name() -> str:
    return f"szca_t_{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A PostgreSQL database migrated to head once; tests copy it."""
    name = _fresh_name()
    upgrade_to_head(create_database(PG_URL, name))
    yield name
    drop_database(PG_URL, name)


@pytest.fixture
def empty_db_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A database with no tables yet (the directory of the SQLite file does not exist)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'sub' / 'fresh.db'}"
        return
    name = _fresh_name()
    yield create_database(PG_URL, name)
    drop_database(PG_URL, name)


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A database migrated to head."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'szca.db'}"
        upgrade_to_head(url)
        yield url
        return
    name = _fresh_name()
    yield create_database(PG_URL, name, template=request.getfixturevalue("pg_template"))
    drop_database(PG_URL, name)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url, master_key=MASTER_KEY)
    yield database
    database.dispose()


@pytest.fixture
def open_order(db: Database) -> OpenOrder:
    """Opens an order on a stored certificate of ``kind``; returns the order number."""
    def _open(mode: OrderMode = OrderMode.MANUAL, *, kind: CertificateKind = CertificateKind.ORG,
              now: datetime = NOW) -> str:
        with db.session() as s:
            cert = upsert_certificate(s, make_certificate(kind))
            return create_order(s, certificate=cert, mode=mode, owner_mobile=MOBILE,
                                now=now).order_no
    return _open
