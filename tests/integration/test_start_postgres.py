"""``scripts/start-postgres.sh`` as root under a directory the postgres user cannot enter
(tox creates ``.tox`` with mode 0700): the cluster still starts, answers, stops and is
removed (it used to fail with "mkdir: cannot create directory '.tox': Permission denied")."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from emulator.mock_providers.server import free_port

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="the defect is about running as root"),
    pytest.mark.skipif(not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")),
                       reason="Debian postgresql is not installed"),
]


def test_a_cluster_under_a_private_directory_starts_and_is_removed(tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    private = tmp_path / ".tox"
    private.mkdir(mode=0o700)
    directory = private / "postgres" / "tmp" / "pg"
    env = {**os.environ, "SZCA_PG_PASSWORD": "s3cret"}
    started = subprocess.run(["bash", str(ROOT / "scripts/start-postgres.sh"), str(directory),
                              str(free_port())], env=env, capture_output=True, text=True,
                             timeout=120)
    cluster = (directory / "cluster").resolve()
    try:
        assert started.returncode == 0, started.stderr
        engine = sa.create_engine(started.stdout.strip())
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT current_user")).scalar() == "szca"
        engine.dispose()
    finally:
        stopped = subprocess.run(["bash", str(ROOT / "scripts/stop-postgres.sh"),
                                  str(directory), "--remove"], capture_output=True, text=True,
                                 timeout=60)
    assert stopped.returncode == 0, stopped.stderr
    assert not directory.exists() and not cluster.exists()
    shutil.rmtree(private)
