"""Databases of the test worlds: templates — migrate once per session (a migration per test
is slow), seed once per cast, copy the file for every test or scenario. (The worlds that run
as processes get theirs from ``emulator.world_builder``.)"""

from __future__ import annotations

import shutil
from pathlib import Path

from emulator.personas import Scenario, TestCA, seed_database
from szca_unlock.store.database import Database
from szca_unlock.store.migrate import upgrade_to_head


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def migrated_template(path: Path) -> Path:
    """A SQLite database at ``path`` with every migration applied and no data."""
    upgrade_to_head(sqlite_url(path))
    return path


def seed(database_url: str, scenario: Scenario, ca: TestCA,
         ders: dict[str, bytes] | None = None, *, master_key: bytes) -> None:
    """The cast's certificates, key records and staff (certificates issued by ``ca``, or
    ``ders``: certificate serial → the DER already on a card); personal data encrypted
    under the service's ``master_key``."""
    database = Database(database_url, master_key=master_key)
    try:
        seed_database(database, scenario, ca, ders)
    finally:
        database.dispose()


def seeded_copy(template: Path, path: Path, scenario: Scenario, ca: TestCA, *,
                master_key: bytes) -> Path:
    """A copy of ``template`` at ``path`` seeded with ``scenario`` (for a service with
    ``master_key``)."""
    copy_database(template, path)
    seed(sqlite_url(path), scenario, ca, master_key=master_key)
    return path


def copy_database(template: Path, path: Path) -> str:
    """A private copy of ``template`` for one test; returns its URL."""
    shutil.copyfile(template, path)
    return sqlite_url(path)
