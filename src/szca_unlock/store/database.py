"""``Database(url)``: one engine, sessions as transactions.

SQLite (the default) is tuned for a small multi-process service: WAL so readers never
block the writer, ``busy_timeout`` 5000 ms so a second writer waits instead of failing,
foreign keys on, and every write transaction opened with ``BEGIN IMMEDIATE`` so two
transactions that read then write can never deadlock on the lock upgrade
(``SQLITE_BUSY`` that no timeout can cure). ``session(readonly=True)`` begins deferred:
it never takes the write lock, and it refuses to flush a change (a deferred transaction
that later writes could hit exactly that unrecoverable upgrade).

SQLite has one writer at a time, so a write transaction must stay short: callers never
wait on a provider or render a document inside one (docs/decisions/service.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 5000
# One uvicorn worker runs up to 40 request threads; SQLite connections are cheap, so a
# request never queues for a connection (the write lock is what serialises writers).
_SQLITE_POOL = {"pool_size": 20, "max_overflow": 40}
_BEGIN_OPTION = "szca_sqlite_begin"
_READONLY = "szca_readonly"
# PostgreSQL: lock_not_available (lock_timeout), serialization failure, deadlock detected.
_BUSY_SQLSTATES = frozenset({"55P03", "40001", "40P01"})


class ReadOnlySessionError(RuntimeError):
    """A change was flushed in a read-only session: a bug in the caller."""


def is_busy_error(exc: BaseException) -> bool:
    """True for "the database is busy, try again later" (SQLite's lock wait timed out,
    PostgreSQL's lock timeout or a serialization/deadlock abort), not for a real fault."""
    if isinstance(exc, PoolTimeout):  # every pooled connection stayed busy
        return True
    if not isinstance(exc, OperationalError):
        return False
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in _BUSY_SQLSTATES:
        return True
    text = str(orig).lower()
    return "database is locked" in text or "database is busy" in text or (
        "database table is locked" in text)


def _is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _install_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite would defer it).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite files get their directory created and the pragmas above."""
    if not _is_sqlite(url):
        return create_engine(url, pool_pre_ping=True, **kwargs)
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        if "poolclass" not in kwargs:
            kwargs = {**_SQLITE_POOL, **kwargs}
    engine = create_engine(url, **kwargs)
    _install_sqlite_pragmas(engine)
    return engine


class Database:
    """The service's database; ``session()`` is exactly one transaction."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(
            self.engine.execution_options(**{_BEGIN_OPTION: "DEFERRED"}),
            expire_on_commit=False, info={_READONLY: True})
        event.listen(self._read_sessions, "before_flush", _refuse_changes)

    def __repr__(self) -> str:
        return f"Database({make_url(self.url).render_as_string(hide_password=True)!r})"

    @contextmanager
    def session(self, *, readonly: bool = False) -> Iterator[Session]:
        """Commit when the block ends normally, roll back (and re-raise) when it raises."""
        factory = self._read_sessions if readonly else self._sessions
        with factory() as session:
            try:
                yield session
                # A read-only block just closes: the connection's transaction is rolled
                # back by the pool, and loaded rows stay readable (not expired).
                if not readonly:
                    session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()


def _refuse_changes(session: Session, _context: object, _instances: object) -> None:
    if session.new or session.deleted or any(session.is_modified(o) for o in session.dirty):
        raise ReadOnlySessionError("a read-only session may not write")
