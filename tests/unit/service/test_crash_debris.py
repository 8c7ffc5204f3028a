"""Crash debris (issue #16, item 7): the CPU pool's worker processes die with a killed
service (real processes, SIGKILL), and the next start sweeps temporary files and stored
files no record refers to, keeping what a record refers to."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from szca_unlock.documents.storage import UploadStorage

ROOT = Path(__file__).resolve().parents[3]
SERVICE_LIKE = """
import os, sys, threading
from szca_unlock.service.cpu_pool import CpuPool
pool = CpuPool(2)
pids = set()
threads = [threading.Thread(target=lambda: pids.add(pool.run(os.getpid))) for _ in range(6)]
[t.start() for t in threads]; [t.join() for t in threads]
print(" ".join(map(str, sorted(pids))), flush=True)
threading.Event().wait(120)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_pool_workers_die_with_a_killed_service() -> None:
    service = subprocess.Popen([sys.executable, "-c", SERVICE_LIKE], stdout=subprocess.PIPE,
                               text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    try:
        line = service.stdout.readline() if service.stdout else ""
        workers = [int(pid) for pid in line.split()]
        assert workers and all(_alive(pid) for pid in workers), line
    finally:
        os.kill(service.pid, signal.SIGKILL)
        service.wait(30)
    deadline = time.monotonic() + 15
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)]


def test_the_sweep_keeps_referenced_files_and_removes_old_debris(tmp_path: Path) -> None:
    storage = UploadStorage(tmp_path / "uploads")
    kept = storage.put(b"a scan a document row refers to", "image/jpeg")
    orphan = storage.put(b"stored, then the service died before the row", "image/jpeg")
    young = storage.put(b"another process is about to commit its row", "image/jpeg")
    temp = tmp_path / "uploads" / "tmp" / "upload-abc123"
    temp.write_bytes(b"half written")
    an_hour_ago = time.time() - 7200
    for path in (kept.path, orphan.path, temp):
        os.utime(path, (an_hour_ago, an_hour_ago))

    removed = storage.sweep({kept.sha256}, older_than_s=3600)
    assert removed == (1, 1)
    assert storage.exists(kept.sha256) and storage.exists(young.sha256)
    assert not storage.exists(orphan.sha256) and not temp.exists()
