"""A master that waits for a worker from another machine, on loopback: `szca-load run
--remote-workers 1` prints the join command, `szca-load worker` joins with a copy of the
world's files in another directory, and the run passes on that worker's flows alone."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from emulator.mock_providers.server import free_port

CLASSES = "PersonalRealtimeUser,SmsLoginStormUser"


def _world_json(reports: Path, master: subprocess.Popen[str], timeout_s: float) -> Path:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = list(reports.glob("smoke-*/world/world.json"))
        if found:
            return found[0]
        assert master.poll() is None, "the master ended before its world was ready"
        time.sleep(0.5)
    raise AssertionError("the world of the run did not come up")


def test_a_worker_from_elsewhere_joins_the_master_and_runs_the_flows(tmp_path: Path) -> None:
    port = free_port()
    reports = tmp_path / "reports"
    master = subprocess.Popen(
        [sys.executable, "-m", "load.cli", "run", "smoke", "--remote-workers", "1",
         "--master-bind-host", "127.0.0.1", "--master-bind-port", str(port),
         "--duration", "12", "--population", "300", "--classes", CLASSES,
         "--reports", str(reports)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    worker: subprocess.Popen[bytes] | None = None
    try:
        world = _world_json(reports, master, 240)
        elsewhere = tmp_path / "worker-machine"  # what the recipe copies to the worker
        elsewhere.mkdir()
        shutil.copy(world, elsewhere / "world.json")
        shutil.copy(world.parent / "population.pickle", elsewhere / "population.pickle")
        worker = subprocess.Popen(
            [sys.executable, "-m", "load.cli", "worker", "smoke", "--master-host",
             "127.0.0.1", "--master-port", str(port), "--partition", "0/1",
             "--world", str(elsewhere / "world.json"), "--classes", CLASSES],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out, err = master.communicate(timeout=300)
        assert master.returncode == 0, out[-3000:] + err[-3000:]
        assert (f"szca-load worker smoke --master-host 127.0.0.1 --master-port {port} "
                "--partition 0/1 --world world.json") in err
        (run,) = reports.iterdir()
        assert run.name.endswith("-w1")
        summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
        assert summary["unlocks_completed"] > 0 and summary["failures"] == 0
        assert worker.wait(timeout=30) == 0  # the master told it to quit
    finally:
        for process in (master, worker):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
