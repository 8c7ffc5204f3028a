"""Fixtures of the service's PostgreSQL tests (``tox -e postgres``)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

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
