"""Several emulated worlds on one machine, none touching another: each `szca-emulator up`
home has its own pcscd, readers, cards, ports and journals (docs/decisions/virtual-ukey.md).

The worlds run as the user runs them, through the command line in processes of their own:
a process's PC/SC library talks to one world only, and this test process talks to its own.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from emulator.mock_providers.client import ProviderControl
from emulator.ports import free_port
from emulator.virtual_ukey import pcsc, processes
from emulator.virtual_ukey.registry import Registry, runtime_dir_of

pytestmark = pytest.mark.pcsc

if shutil.which("pcscd") is None or pcsc.namespaces_available():
    pytest.skip("a world's pcscd needs pcscd and root (scripts/install-system-deps.sh)",
                allow_module_level=True)

ORG_KEY = "SZ2025000001"  # the demo's key: the organisation certificate's U-KEY


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in (pcsc.CSOCK_ENV, "SZCA_UNLOCK_MASTER_KEY", "SZCA_SERVICE_URL")}
    return {**env, "SZCA_HOME": str(home)}


def _run(home: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          env=_env(home), timeout=timeout, check=False)


def emulator(home: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return _run(home, "-m", "emulator.cli", "--home", str(home), *args, timeout=timeout)


def ukey(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return _run(home, "-m", "emulator.virtual_ukey.cli", *args, timeout=120)


def record(home: Path) -> dict[str, object]:
    return json.loads((home / "run" / "stack.json").read_text())


def world_pids(home: Path) -> dict[str, int]:
    """Every process of the world: its servers, its pcscd, its card processes."""
    rec, world = record(home), Registry(runtime_dir_of(home / "ukey")).peek()
    pids = {"service": rec["service_pid"], "providers": rec["providers_pid"],
            "pcscd": world.pcscd_pid}
    pids |= {f"card {c.serial}": c.pid for c in world.cards.values()}
    return {name: int(pid) for name, pid in pids.items() if pid}


@pytest.fixture
def homes(tmp_path: Path):
    """Homes whose worlds are stopped after the test, whatever happened."""
    made: list[Path] = []

    def make(name: str) -> Path:
        made.append(tmp_path / name)
        return made[-1]

    yield make
    for home in made:
        emulator(home, "down", timeout=120)


def test_three_worlds_unlock_at_the_same_time_each_seeing_only_its_own_traffic(homes) -> None:
    worlds = {homes(f"w{i}"): f"Szca{i}{i}{i}{i}" for i in range(3)}  # a new PIN per world

    def demo(home: Path) -> subprocess.CompletedProcess[str]:
        return emulator(home, "demo", "--keep", "--stay-up", "--new-pin", worlds[home],
                        timeout=600)

    with ThreadPoolExecutor(len(worlds)) as pool:  # same scenario, same key serials
        done = dict(zip(worlds, pool.map(demo, worlds), strict=True))
    for run in done.values():
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        assert "状态：已解锁" in run.stdout and "新PIN校验 → SW 9000" in run.stdout

    sockets = {record(home)["pcsc_socket"] for home in worlds}
    assert len(sockets) == 3  # three pcscds
    for home, new_pin in worlds.items():
        # The card: this world's unlock reached this world's card, and only it. The PIN
        # that world set verifies through this world's reader; the others' PINs do not.
        assert ukey(home, "verify", ORG_KEY, "--pin", new_pin).returncode == 0
        for other in set(worlds.values()) - {new_pin}:
            refused = ukey(home, "verify", ORG_KEY, "--pin", other)
            assert refused.returncode == 1 and "PIN 错误" in refused.stdout
        # The journals: this world's providers saw one unlock's traffic, this world's
        # service one order; the card log of the key is this world's own file.
        journal = ProviderControl(str(record(home)["providers_url"])).journal()
        assert [e.action for e in journal if e.provider == "face"].count("DetectAuth") == 1
        assert [e.action for e in journal if e.provider == "carrier"] == ["PhoneVerification"]
        assert (home / "ukey" / "world" / "logs" / f"card-{ORG_KEY}.log").exists()
        orders = re.findall(r"业务单 (JS\d+) 状态：已解锁", done[home].stdout)
        assert len(orders) == 1
    tokens = [{e.response["Response"]["BizToken"] for e in
               ProviderControl(str(record(h)["providers_url"])).journal(action="DetectAuth")}
              for h in worlds]
    assert len(set.union(*tokens)) == 3  # three face sessions, one in each world


def test_no_socket_of_a_world_listens_off_loopback(homes) -> None:
    home = homes("w")
    up = emulator(home, "up", "--detach", "--insert", "all")
    assert up.returncode == 0, up.stderr
    pids = world_pids(home)
    assert len([n for n in pids if n.startswith("card ")]) == 7  # every key inserted
    listening = subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True,
                               check=True).stdout.splitlines()
    ours = [line for line in listening
            if any(f"pid={pid}," in line for pid in pids.values())]
    assert len(ours) == 2, listening  # the service and the providers; readers: see below
    for line in ours:
        assert line.split()[3].startswith("127.0.0.1:"), line
    # The readers' vpcd ports live in pcscd's own network namespace, whose only interface
    # is the loopback: nothing of them is on any address of the machine.
    netns = ["nsenter", f"--net=/proc/{pids['pcscd']}/ns/net"]
    links = subprocess.run([*netns, "ip", "-o", "link"], capture_output=True, text=True,
                           check=True).stdout
    assert [line.split(":")[1].strip() for line in links.splitlines()] == ["lo"]
    inside = subprocess.run([*netns, "ss", "-ltnH"], capture_output=True, text=True,
                            check=True).stdout.split()
    assert "0.0.0.0:29963" in inside  # vpcd's readers are there, and only there


def test_up_on_a_taken_port_fails_at_once_naming_its_holder(homes) -> None:
    """Regression: `up --detach` on ports another world held printed success: its own
    servers had died with "address already in use" and the other world's answered."""
    first, second = homes("first"), homes("second")
    service_port, providers_port = free_port(), free_port()
    up = emulator(first, "up", "--detach", "--service-port", str(service_port),
                  "--providers-port", str(providers_port))
    assert up.returncode == 0, up.stderr
    started = time.monotonic()
    clash = emulator(second, "up", "--detach", "--service-port", str(service_port))
    assert clash.returncode == 2, clash.stdout
    assert time.monotonic() - started < 60  # at once: no pcscd, no cards, no servers first
    assert f"网厅服务端口 {service_port} 已被占用" in clash.stderr
    assert f"PID {record(first)['service_pid']}" in clash.stderr
    assert f"SZCA_HOME={first}" in clash.stderr  # the holder: the first world
    assert "已在后台运行" not in clash.stdout
    assert not (second / "run" / "stack.json").exists()
    assert not Registry(runtime_dir_of(second / "ukey")).peek().running
    # the first world is untouched and still answers as itself
    health = httpx.get(f"http://127.0.0.1:{service_port}/api/health").json()
    assert health == {"status": "ok", "instance": record(first)["instance"]}


def test_a_world_left_by_a_killed_up_is_cleaned_by_the_next_up_of_its_home_only(
        homes) -> None:
    killed, bystander = homes("killed"), homes("bystander")
    for home in (killed, bystander):
        up = emulator(home, "up", "--detach", "--insert", ORG_KEY)
        assert up.returncode == 0, up.stderr
    left_behind = world_pids(killed)
    others = world_pids(bystander)
    os.kill(left_behind["service"], signal.SIGKILL)  # the world dies half-way
    os.kill(left_behind["pcscd"], signal.SIGKILL)
    while processes.alive(left_behind["service"]) or processes.alive(left_behind["pcscd"]):
        time.sleep(0.05)

    again = emulator(killed, "up", "--detach", "--insert", ORG_KEY)
    assert again.returncode == 0, again.stderr
    assert not any(processes.alive(pid) for pid in left_behind.values())  # all cleaned
    assert all(processes.alive(pid) for pid in others.values())  # another home: untouched
    fresh = world_pids(killed)
    assert not set(fresh.values()) & set(left_behind.values())
    assert ukey(killed, "verify", ORG_KEY, "--pin", "123456").returncode == 0  # it answers

    for name, pid in fresh.items():  # killed again, now `down` cleans up
        if name != "providers":
            os.kill(pid, signal.SIGKILL)
    assert emulator(killed, "down").returncode == 0
    assert not any(processes.alive(pid) for pid in fresh.values())
    assert all(processes.alive(pid) for pid in others.values())


@pytest.mark.slow
def test_six_default_worlds_run_at_once_with_every_key_inserted(homes) -> None:
    """Capacity: six `szca-emulator up --insert all` worlds side by side (7 keys each, 42
    cards: more than one pcscd's 16 readers could ever hold)."""
    six = [homes(f"cap{i}") for i in range(6)]
    with ThreadPoolExecutor(len(six)) as pool:
        ups = list(pool.map(lambda h: emulator(h, "up", "--detach", "--insert", "all",
                                               timeout=900), six))
    assert [up.returncode for up in ups] == [0] * 6, [up.stderr[-2000:] for up in ups]
    for home in six:
        listed = ukey(home, "list")
        assert listed.returncode == 0
        inserted = [line for line in listed.stdout.splitlines() if ": SZ20250000" in line]
        assert len(inserted) == 7, listed.stdout  # its own seven, none of the others'
        health = httpx.get(f"{record(home)['service_url']}/api/health").json()
        assert health["instance"] == record(home)["instance"]
