"""`szca-load run <profile> --home HOME` against a world `szca-emulator up` already runs:
the population joins that world (its database, its mock providers), the flows pass through
its service, and the world keeps running afterwards."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from emulator.mock_providers.client import ProviderControl
from emulator.stack import Stack, StackConfig
from load.population import load_population

pytestmark = pytest.mark.pcsc

if shutil.which("pcscd") is None:
    pytest.skip("pcscd is not installed (scripts/install-system-deps.sh)",
                allow_module_level=True)

CLASSES = "PersonalRealtimeUser,SmsLoginStormUser"


def _cli(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True,
                          timeout=timeout, check=False)


def test_a_profile_drives_a_world_that_is_already_running(tmp_path: Path) -> None:
    home = tmp_path / "home"
    up = _cli("emulator.cli", "--home", str(home), "up", "--detach", timeout=240)
    assert up.returncode == 0, up.stderr
    stack = Stack(StackConfig(home=home))
    try:
        record = stack.running_record()
        assert record is not None
        run = _cli("load.cli", "run", "smoke", "--home", str(home), "--duration", "15",
                   "--population", "300", "--classes", CLASSES,
                   "--reports", str(tmp_path / "reports"), timeout=400)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        (directory,) = (tmp_path / "reports").iterdir()
        summary = json.loads((directory / "summary.json").read_text(encoding="utf-8"))
        assert summary["failures"] == 0 and summary["flow_failures"] == 0
        assert summary["unlocks_completed"] > 0
        assert {f["name"] for f in summary["flows"] if f["completed"]} >= {"C-1 SMS login"}
        # The world's own service sent the login codes through the world's own mock.
        population = load_population(directory / "world" / "population.pickle")
        ours = {p.mobile for p in population.scenario.people.values()}
        ours |= set(population.storm_mobiles)
        sent = {e.mobile for e in ProviderControl(record.providers_url).journal(provider="sms")}
        assert sent & ours
        # Not our world to stop: it still serves, as it did before the run.
        assert httpx.get(f"{record.service_url}/api/health").json()["instance"] == \
            record.instance
    finally:
        assert stack.down() is True


def test_a_home_without_a_running_world_is_refused(tmp_path: Path) -> None:
    run = _cli("load.cli", "run", "smoke", "--home", str(tmp_path / "empty"),
               "--reports", str(tmp_path / "reports"), timeout=60)
    assert run.returncode != 0
    assert "szca-emulator --home" in run.stderr and "up --detach" in run.stderr
    assert "Traceback" not in run.stderr
