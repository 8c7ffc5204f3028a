"""Create and drop PostgreSQL databases next to the one a URL names.

Used by the test suites (one throw-away database per test, copied from a migrated
template, which is much faster than migrating each time) and handy for operators who
give the service a fresh database. PostgreSQL only: a SQLite database is just a file.
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.engine import make_url

from szca_unlock.store.database import make_engine

_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def url_for_database(url: str, name: str) -> str:
    """``url`` with its database name replaced (same server, user and password)."""
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _checked(name: str) -> str:
    # CREATE/DROP DATABASE take no bind parameters: only plain identifiers get in.
    if not _NAME.fullmatch(name):
        raise ValueError(f"not a plain lower-case database name: {name!r}")
    return name


def _run_outside_transaction(url: str, statement: str) -> None:
    if make_url(url).get_backend_name() != "postgresql":
        raise ValueError("database provisioning is for PostgreSQL URLs only")
    engine = make_engine(url)
    try:
        # CREATE/DROP DATABASE cannot run inside a transaction block.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()


def create_database(url: str, name: str, *, template: str | None = None) -> str:
    """Create database ``name`` on the server of ``url``; returns its URL.

    ``template`` copies another database (nobody may be connected to it meanwhile).
    """
    statement = f'CREATE DATABASE "{_checked(name)}"'
    if template is not None:
        statement += f' TEMPLATE "{_checked(template)}"'
    _run_outside_transaction(url, statement)
    return url_for_database(url, name)


def drop_database(url: str, name: str) -> None:
    """Drop database ``name`` if it exists, disconnecting anyone still connected."""
    _run_outside_transaction(url, f'DROP DATABASE IF EXISTS "{_checked(name)}" WITH (FORCE)')
