"""The service's home and database are the owner's alone (0700 / 0600), whatever the
umask; the world's records of personal data too (issue #16, item 5)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from szca_unlock.config import Settings
from szca_unlock.private_files import write_private
from szca_unlock.service.app import create_app


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0o022)  # the default that made the database 0644 in a 0755 home
    yield
    os.umask(old)


@pytest.mark.usefixtures("open_umask")
def test_the_service_home_and_database_are_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    settings = Settings(home=home, database_url=f"sqlite:///{home / 'szca.db'}",
                        unlock_master_key_hex="11" * 32)
    app = create_app(settings)
    try:
        with app.state.ctx.db.session() as db:  # a write: the WAL file exists now
            db.execute(text("CREATE TABLE probe (x INTEGER)"))
        assert _mode(home) == 0o700
        files = [p for p in home.iterdir() if p.name.startswith("szca.db")]
        assert {p.name for p in files} >= {"szca.db", "szca.db-wal"}
        assert {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}
    finally:
        app.state.ctx.cpu.shutdown()


@pytest.mark.usefixtures("open_umask")
def test_records_of_personal_data_are_written_0600(tmp_path: Path) -> None:
    target = tmp_path / "run" / "provider-records.json"
    write_private(target, '{"people": []}')
    assert _mode(target) == 0o600 and _mode(target.parent) == 0o700
    assert target.read_text() == '{"people": []}'
