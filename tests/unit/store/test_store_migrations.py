"""The Alembic migrations build the schema the models describe, on every backend."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from szca_unlock.store import Database, current_revision, upgrade_to_head
from szca_unlock.store.base import Base
from szca_unlock.store.migrate import alembic_config

EXPECTED_TABLES = {
    "organisations", "holders", "certificates", "ukeys", "login_codes", "sessions",
    "staff_users", "agreement_acceptances", "orders", "order_counters", "order_transitions",
    "verifications", "documents", "reviews", "unlock_authorisations", "assistant_tickets",
}


def test_fresh_database_gets_every_table_and_is_at_head(empty_db_url: str) -> None:
    url = empty_db_url
    assert current_revision(url) is None
    upgrade_to_head(url)
    db = Database(url)
    tables = set(inspect(db.engine).get_table_names())
    assert tables >= EXPECTED_TABLES
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    assert head is not None and current_revision(url) == head
    db.dispose()


def test_upgrade_is_idempotent_and_keeps_data(db: Database) -> None:
    with db.session() as s:
        s.execute(text("INSERT INTO order_counters(day, last_seq) VALUES ('20261126', 7)"))
    upgrade_to_head(db.url)
    with db.session(readonly=True) as s:
        assert s.execute(text("SELECT last_seq FROM order_counters")).scalar_one() == 7


def test_migrated_schema_matches_the_models(db: Database) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_sqlite_pragmas(db: Database, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("SQLite only")
    with db.session(readonly=True) as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert s.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert s.execute(text("PRAGMA busy_timeout")).scalar_one() == 5000
