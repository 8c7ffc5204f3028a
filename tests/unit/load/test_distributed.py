"""Beyond one machine: the master binds the chosen address and waits for local and remote
workers; each worker gets its own share of the population; ``szca-load worker`` joins a
master with a local copy of the world's manifest; personas keep their addresses through
X-Forwarded-For when the service is on another machine."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest

from load import cli, runner
from load.distributed import MasterOptions, join_commands, master_args
from load.manifest import PARTITION_ENV, WORLD_ENV, WorldManifest
from load.profiles import PROFILES
from load.transport import LocustTransport, is_loopback_url


def test_local_workers_take_the_first_partitions_and_remote_ones_the_rest() -> None:
    master = MasterOptions(local_workers=2, remote_workers=3, bind_host="0.0.0.0",
                           bind_port=5557)
    assert [master.partition(k) for k in range(2)] == ["0/5", "1/5"]
    assert master.remote_partitions() == ["2/5", "3/5", "4/5"]
    assert master_args(master, 5557) == ["--master", "--master-bind-host", "0.0.0.0",
                                         "--master-bind-port", "5557", "--expect-workers", "5"]


def test_join_commands_name_each_remote_partition_and_the_master() -> None:
    master = MasterOptions(0, 2, "10.0.0.5", 5557)
    commands = join_commands("ramp", "10.0.0.5", 5557, master, ["--classes", "A,B"])
    assert commands == [
        f"szca-load worker ramp --master-host 10.0.0.5 --master-port 5557 --partition {p} "
        "--world world.json --classes A,B" for p in ("0/2", "1/2")]
    wildcard = join_commands("ramp", "0.0.0.0", 5557, master, [])
    assert all("--master-host MASTER-ADDRESS" in c for c in wildcard)


@pytest.mark.parametrize("port", [-1, 65536])
def test_a_bind_port_out_of_range_is_refused(port: int) -> None:
    with pytest.raises(SystemExit, match="not a port"):
        cli.main(["run", "smoke", "--master-bind-port", str(port)])


class _FakeProcess:
    started: ClassVar[list[tuple[list[str], dict[str, str]]]] = []

    def __init__(self, args: list[str], env: dict[str, str], **_: Any) -> None:
        self.started.append((args, env))

    def wait(self, timeout: float | None = None) -> int:
        return 0

    def poll(self) -> int:
        return 0


def test_the_runner_binds_the_master_and_waits_for_every_worker(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    _FakeProcess.started = []
    monkeypatch.setattr(runner.subprocess, "Popen", _FakeProcess)
    profile = PROFILES["smoke"]
    master = MasterOptions(1, 2, "0.0.0.0", 5999)
    code = runner.run_locust(profile, "http://10.0.0.5:8000", tmp_path / "smoke", {},
                             master, tmp_path / "locust.log")
    assert code == 0
    (main, _), (local, local_env) = _FakeProcess.started
    assert main[main.index("--master-bind-host") + 1] == "0.0.0.0"
    assert main[main.index("--master-bind-port") + 1] == "5999"
    assert main[main.index("--expect-workers") + 1] == "3"
    assert local[local.index("--master-host") + 1] == "127.0.0.1"  # wildcard: join on loopback
    assert local_env[PARTITION_ENV] == "0/3"
    printed = capsys.readouterr().err
    assert "--partition 1/3" in printed and "--partition 2/3" in printed
    assert "--partition 0/3" not in printed


def _world(tmp_path: Path) -> Path:
    (tmp_path / "population.pickle").write_bytes(b"pickled")
    manifest = WorldManifest("http://127.0.0.1:8000", "http://127.0.0.1:8001", "00" * 32,
                             "/elsewhere/population.pickle", staff_password="pw")
    manifest.write(tmp_path / "world.json")
    return tmp_path / "world.json"


def test_a_worker_joins_the_master_with_its_partition_and_its_own_manifest(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: dict[str, Any] = {}

    def fake_run(command: list[str], env: dict[str, str], check: bool) -> Any:
        seen["command"], seen["env"] = command, env
        manifest = Path(env[WORLD_ENV])
        seen["manifest"] = json.loads(manifest.read_text(encoding="utf-8"))
        seen["mode"] = os.stat(manifest).st_mode & 0o777
        return type("Done", (), {"returncode": 0})()

    monkeypatch.setattr(cli.subprocess, "run", fake_run)
    world = _world(tmp_path)
    assert cli.main(["worker", "smoke", "--master-host", "10.0.0.5", "--master-port", "5557",
                     "--partition", "3/5", "--world", str(world),
                     "--service-url", "http://10.0.0.5:8000",
                     "--classes", "PersonalRealtimeUser"]) == 0
    command = seen["command"]
    assert "--worker" in command and command[-1] == "PersonalRealtimeUser"
    assert command[command.index("--master-host") + 1] == "10.0.0.5"
    assert command[command.index("--master-port") + 1] == "5557"
    assert seen["env"][PARTITION_ENV] == "3/5"
    assert seen["manifest"]["service_url"] == "http://10.0.0.5:8000"
    assert seen["manifest"]["mock_url"] == "http://127.0.0.1:8001"  # not overridden
    assert seen["manifest"]["population"] == str((tmp_path / "population.pickle").resolve())
    assert seen["mode"] == 0o600
    assert not Path(seen["env"][WORLD_ENV]).exists()  # removed when the worker ends


@pytest.mark.parametrize("partition", ["5/5", "x/2", "1"])
def test_a_worker_refuses_a_partition_it_cannot_take(
        partition: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["worker", "smoke", "--master-host", "h", "--master-port", "1",
                  "--partition", partition, "--world", str(_world(tmp_path))])
    assert "k/N" in capsys.readouterr().err


def test_a_worker_without_the_population_says_what_to_copy(tmp_path: Path) -> None:
    world = _world(tmp_path)
    (tmp_path / "population.pickle").unlink()
    with pytest.raises(SystemExit, match=r"population\.pickle"):
        cli.main(["worker", "smoke", "--master-host", "h", "--master-port", "1",
                  "--partition", "0/1", "--world", str(world)])


@pytest.mark.parametrize(("url", "loopback"), [
    ("http://127.0.0.1:8000", True), ("http://127.9.9.9:1", True),
    ("http://localhost:8000", True), ("http://[::1]:8000", True),
    ("http://10.0.0.5:8000", False), ("http://service.example:8000", False)])
def test_which_services_are_on_this_machine(url: str, loopback: bool) -> None:
    assert is_loopback_url(url) is loopback


@pytest.mark.parametrize(("service", "forwarded"), [
    ("http://10.0.0.5:8000", "127.1.0.7"), ("http://127.0.0.1:8000", None)])
def test_a_remote_service_sees_the_persona_address_as_forwarded_for(
        service: str, forwarded: str | None) -> None:
    headers: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        headers.append(request.headers.get("x-forwarded-for"))
        return httpx.Response(200, json={})

    transport = LocustTransport.for_service(lambda **_: None, service, "127.1.0.7")
    transport._inner = httpx.MockTransport(handler)  # no network in unit tests
    with httpx.Client(transport=transport) as client:
        client.get(f"{service}/api/health")
    assert headers == [forwarded]
