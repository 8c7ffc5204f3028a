"""A private Redis for a test (``scripts/start-redis.sh``: Unix socket only, in a 0700
directory of the test), stopped and removed afterwards."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@contextmanager
def private_redis(directory: Path) -> Iterator[str]:
    """Starts Redis in ``directory``; yields its URL (``redis+unix://…``)."""
    url = subprocess.run(["bash", str(SCRIPTS / "start-redis.sh"), str(directory)],
                         check=True, capture_output=True, text=True, timeout=60).stdout.strip()
    try:
        yield url
    finally:
        subprocess.run(["bash", str(SCRIPTS / "stop-redis.sh"), str(directory), "--remove"],
                       check=False, capture_output=True, timeout=30)
