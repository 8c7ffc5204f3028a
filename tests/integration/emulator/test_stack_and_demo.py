"""`szca-emulator up/down` and `szca-emulator demo` against the real world: processes,
health checks, and that `down` leaves nothing of ours running."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from emulator.cli import print_world
from emulator.mock_providers.client import ProviderControl
from emulator.stack import Stack, StackConfig, StackError
from emulator.virtual_ukey import pcsc, processes
from emulator.virtual_ukey.opensc import OPENSC_CONF

pytestmark = pytest.mark.pcsc

if shutil.which("pcscd") is None:
    pytest.skip("pcscd is not installed (scripts/install-system-deps.sh)",
                allow_module_level=True)


@pytest.fixture
def config(tmp_path: Path) -> StackConfig:
    return StackConfig(home=tmp_path / "home")  # free ports, picked by up


def test_up_serves_every_part_and_down_stops_only_what_it_started(
        config: StackConfig, capsys: pytest.CaptureFixture[str]) -> None:
    stack = Stack(config)
    record = stack.up(insert=["SZ2025000002"])
    try:
        assert httpx.get(f"{record.service_url}/api/health").json() == {
            "status": "ok", "instance": record.instance}  # our own service answers
        assert record.service_url != record.providers_url
        assert json.loads(config.run_file.read_text())["service_url"] == record.service_url
        assert httpx.get(f"{record.service_url}/openapi.json").status_code == 200
        # the providers were seeded from the scenario: the employee's carrier record matches
        assert ProviderControl(record.providers_url).records()["carrier"]
        inserted = {k.serial: k.reader for k in record.keys}
        assert inserted["SZ2025000002"] is not None
        assert inserted["SZ2025000003"] is None  # only the requested key is in a reader
        assert stack.world.status("SZ2025000002").reader == inserted["SZ2025000002"]
        # The certificate helper runs for the portal and sees this world's reader.
        status = httpx.get(f"{record.assistant_url}/v1/status",
                           headers={"Origin": record.service_url})
        assert status.json()["keys"] == [{"serial": "SZ2025000002", "driver": "pcsc"}]
        assert status.headers["access-control-allow-origin"] == record.service_url
        page = httpx.get(f"{record.service_url}/login")
        assert record.assistant_url in page.headers["content-security-policy"]
        print_world(record)  # a key in a reader: how PKCS#11 applications reach it
        out = capsys.readouterr().out
        assert f"export OPENSC_CONF={OPENSC_CONF}" in out
        assert f"网上营业厅    {record.service_url}/login" in out
        with pytest.raises(StackError, match="已在运行"):
            Stack(config).up()
    finally:
        assert stack.down() is True
    assert not processes.alive(record.service_pid)
    assert not processes.alive(record.providers_pid)
    assert not processes.alive(record.assistant_pid)
    assert stack.world.status("SZ2025000002").reader is None
    assert stack.down() is False  # nothing left to stop


def test_up_refuses_an_unknown_key(config: StackConfig) -> None:
    with pytest.raises(StackError, match="SZ0000000000"):
        Stack(config).up(insert=["SZ0000000000"])
    assert not config.run_file.exists()


def test_demo_unlocks_the_org_key_end_to_end(config: StackConfig) -> None:
    # Its own process, as a user runs it: the demo's agent talks to the demo's world, and
    # a process's PC/SC library talks to one world only (this one's: the test session's).
    env = {k: v for k, v in os.environ.items() if k != pcsc.CSOCK_ENV}
    done = subprocess.run(
        [sys.executable, "-m", "emulator.cli", "--home", str(config.home), "demo", "--keep"],
        capture_output=True, text=True, env=env, timeout=300, check=False)
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    assert "SW 6983" in out  # the key really was locked first
    assert "状态：已解锁" in out
    assert "新PIN校验 → SW 9000" in out
    assert "U-KEY 签名已用证书公钥验证通过" in out
    assert not config.run_file.exists()


def test_demo_ui_unlocks_the_org_key_through_the_pages(tmp_path: Path) -> None:
    """make demo-ui: the same unlock clicked through the portal in Chromium, screenshots
    left behind."""
    env = {k: v for k, v in os.environ.items() if k != pcsc.CSOCK_ENV}
    out_dir = tmp_path / "screens"
    done = subprocess.run(
        [sys.executable, "-m", "emulator.cli", "demo-ui", "--out", str(out_dir)],
        capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "新PIN校验 → SW 9000" in done.stdout
    assert len(list(out_dir.glob("*.png"))) == 10
