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

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from szca_unlock.private_files import private_file
from szca_unlock.store.data_keys import data_keys, use_data_keys

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


class _WriterQueue:
    """This process's writers take turns on a lock before ``BEGIN IMMEDIATE``.

    SQLite's own busy handler makes a waiting writer poll with sleeps of up to 100 ms, so
    under contention the lock sits idle while every waiter sleeps, and an unlucky one
    starves past the timeout. A thread lock hands the turn over at once. Other processes
    (the CLI, a second worker) still meet at SQLite's lock with ``busy_timeout``.
    """

    _HOLDS = "szca_writer_turn"

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def acquire(self, info: dict[Any, Any]) -> None:
        if not self._lock.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
            raise OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError(
                "database is locked (waiting for this process's writer)"))
        info[self._HOLDS] = True

    def release(self, info: dict[Any, Any]) -> None:
        if info.pop(self._HOLDS, False):
            self._lock.release()


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
        # A deleted row's bytes are zeroed, not left in a free page of the file.
        cursor.execute("PRAGMA secure_delete = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    writers = _WriterQueue() if engine.url.database not in (None, "", ":memory:") else None

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "IMMEDIATE")
        if writers is None or mode != "IMMEDIATE":
            conn.exec_driver_sql(f"BEGIN {mode}")
            return
        writers.acquire(conn.info)
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            writers.release(conn.info)
            raise

    if writers is not None:
        # The turn passes on at COMMIT/ROLLBACK (a next writer's BEGIN may wait the
        # moment SQLite takes to finish it); a connection returned mid-transaction
        # (error, invalidation) gives it back on check-in.
        for name in ("commit", "rollback"):
            event.listen(engine, name, lambda conn: writers.release(conn.info))
        event.listen(engine.pool, "checkin", lambda _dbapi, record: writers.release(record.info))


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite files get their directory created and the pragmas above.
    Errors never quote a statement's parameters (they hold mobiles and ID numbers)."""
    if not _is_sqlite(url):
        return create_engine(url, pool_pre_ping=True, hide_parameters=True, **kwargs)
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        private_file(Path(database))  # 0600: SQLite gives -wal and -shm the same mode
        if "poolclass" not in kwargs:
            kwargs = {**_SQLITE_POOL, **kwargs}
    engine = create_engine(url, hide_parameters=True, **kwargs)
    _install_sqlite_pragmas(engine)
    return engine


class Database:
    """The service's database; ``session()`` is exactly one transaction."""

    def __init__(self, url: str, *, master_key: bytes | None = None,
                 **engine_kwargs: Any) -> None:
        """``master_key``: the CA master key, whose data keys encrypt personal data at rest
        (``store/data_keys.py``); without it, reading or writing such a column fails."""
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        if master_key is not None:
            use_data_keys(self.engine, data_keys(master_key))
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
