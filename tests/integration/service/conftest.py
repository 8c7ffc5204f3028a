"""Fixtures of the service's PostgreSQL and Redis tests (``tox -e postgres``)."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

from emulator.personas import Scenario, TestCA
from emulator.testing.databases import seed
from szca_unlock.store import upgrade_to_head
from szca_unlock.store.provision import create_database, drop_database

PG_URL = os.environ.get("SZCA_TEST_DATABASE_URL", "")


@pytest.fixture
def pg_url(scenario: Scenario, test_ca: TestCA, ukey_master_key: bytes) -> Iterator[str]:
    """A fresh database on the PostgreSQL server, migrated and seeded with the personas."""
    name = f"szca_e2e_{uuid.uuid4().hex[:12]}"
    url = create_database(PG_URL, name)
    upgrade_to_head(url)
    seed(url, scenario, test_ca, master_key=ukey_master_key)
    yield url
    drop_database(PG_URL, name)


# The checkout's scripts: the tests run from it, also when the package is installed (tox).
SCRIPTS = Path(__file__).resolve().parents[3] / "scripts"
PrivateRedis = Callable[[Path], AbstractContextManager[str]]


@contextmanager
def _private_redis(directory: Path) -> Iterator[str]:
    """``scripts/start-redis.sh`` in ``directory`` (Unix socket only, 0700); yields its
    URL (``redis+unix://…``); stopped and removed afterwards."""
    url = subprocess.run(["bash", str(SCRIPTS / "start-redis.sh"), str(directory)],
                         check=True, capture_output=True, text=True, timeout=60).stdout.strip()
    try:
        yield url
    finally:
        subprocess.run(["bash", str(SCRIPTS / "stop-redis.sh"), str(directory), "--remove"],
                       check=False, capture_output=True, timeout=30)


@pytest.fixture
def private_redis() -> PrivateRedis:
    """``with private_redis(tmp_path / "redis") as url:`` — a Redis of the test's own."""
    return _private_redis
