"""Under load: reads never wait for the write lock, the sliding expiry is written at most
once a minute, and a database that stays locked is a 503 to retry, never a 500."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError
from test_login_api import MOBILE, login

from szca_unlock.config import Settings
from szca_unlock.service.app import create_app
from szca_unlock.store import database
from szca_unlock.store.database import ReadOnlySessionError, is_busy_error
from szca_unlock.store.enums import SessionKind
from szca_unlock.store.models_access import SessionRow


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "svc.db"


@pytest.fixture
def impatient_client(tmp_path: Path, db_file: Path, clock, providers,  # type: ignore[no-untyped-def]
                     monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The service with a 100 ms busy timeout, so a held lock shows within the test."""
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 100)
    settings = Settings(home=tmp_path, database_url=f"sqlite:///{db_file}",
                        unlock_master_key_hex="11" * 32)
    app = create_app(settings, providers=providers, clock=clock)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@contextmanager
def write_lock_held(db_file: Path) -> Iterator[None]:
    """Another process's writer in the middle of a long transaction."""
    other = sqlite3.connect(db_file, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_locked_database_is_503_retry_after_in_chinese(impatient_client: TestClient,  # type: ignore[no-untyped-def]
                                                       db_file: Path, providers) -> None:
    with write_lock_held(db_file):
        answer = impatient_client.post("/api/auth/sms-code", json={"mobile": MOBILE})
    assert answer.status_code == 503
    assert int(answer.headers["Retry-After"]) > 0
    error = answer.json()["error"]
    assert (error["code"], error["message"]) == ("service_busy", "系统繁忙，请稍后重试")
    assert "400-112-3838" in error["help"]
    assert providers.sms.sent == []  # refused before anything was sent
    # Nothing half-done blocks the retry (no resend timer running).
    assert impatient_client.post("/api/auth/sms-code", json={"mobile": MOBILE}).status_code == 202


def test_reads_answer_while_another_writer_holds_the_lock(impatient_client: TestClient,  # type: ignore[no-untyped-def]
                                                          db_file: Path, providers) -> None:
    token = login(impatient_client, providers)
    with write_lock_held(db_file):
        for path in ("/api/auth/me", "/api/orders", "/api/unlock/guide"):
            answer = impatient_client.get(path, headers=_auth(token))
            assert answer.status_code == 200, (path, answer.text)
        # A write must wait for the lock, and gives up as a 503, not a 500.
        write = impatient_client.post("/api/auth/logout", headers=_auth(token))
        assert write.status_code == 503
    assert impatient_client.post("/api/auth/logout", headers=_auth(token)).status_code == 204


def _stored_expiry(db_file: Path) -> str:
    with sqlite3.connect(db_file) as conn:
        return str(conn.execute("SELECT expires_at FROM sessions").fetchone()[0])


def test_sliding_expiry_is_written_at_most_once_a_minute(client: TestClient, providers,  # type: ignore[no-untyped-def]
                                                         clock, tmp_path: Path) -> None:
    token = login(client, providers)
    logged_in_at = clock.now
    first = client.get("/api/auth/me", headers=_auth(token)).json()["expires_at"]
    stored = _stored_expiry(tmp_path / "svc.db")
    clock.advance(seconds=50)
    assert client.get("/api/auth/me", headers=_auth(token)).json()["expires_at"] == first
    assert _stored_expiry(tmp_path / "svc.db") == stored  # that read wrote nothing
    clock.advance(seconds=20)
    moved = client.get("/api/auth/me", headers=_auth(token)).json()["expires_at"]
    expected = logged_in_at + timedelta(seconds=70, minutes=30)
    assert datetime.fromisoformat(moved.replace("Z", "+00:00")) == expected
    assert _stored_expiry(tmp_path / "svc.db") != stored
    # The idle timeout still ends the session (29 min of silence after the last slide
    # is inside it, 31 min is not).
    clock.advance(minutes=29)
    assert client.get("/api/auth/me", headers=_auth(token)).status_code == 200
    clock.advance(minutes=31)
    answer = client.get("/api/auth/me", headers=_auth(token))
    assert answer.status_code == 401
    assert answer.json()["error"]["message"] == "登录已过期，请重新登录"


def test_a_read_only_session_refuses_to_write(client: TestClient, clock) -> None:  # type: ignore[no-untyped-def]
    db = client.app.state.ctx.db  # type: ignore[attr-defined]
    row = SessionRow(token_hash="x" * 64, kind=SessionKind.APPLICANT, mobile=MOBILE,
                     created_at=clock.now, expires_at=clock.now, revoked=False)
    with pytest.raises(ReadOnlySessionError), db.session(readonly=True) as session:
        session.add(row)
        session.flush()
    with db.session(readonly=True) as session:
        assert session.query(SessionRow).count() == 0


def _operational(message: str) -> OperationalError:
    return OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError(message))


def test_only_lock_timeouts_count_as_busy() -> None:
    assert is_busy_error(_operational("database is locked"))
    assert is_busy_error(_operational("database is busy"))
    assert not is_busy_error(_operational("no such table: orders"))
    assert not is_busy_error(_operational("disk I/O error"))
    assert not is_busy_error(ValueError("database is locked"))
