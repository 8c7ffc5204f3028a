"""Start and stop our own processes by PID, each in its own process group."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

_children: dict[int, subprocess.Popen[bytes]] = {}


def spawn(argv: list[str], log_path: Path, env: dict[str, str] | None = None) -> int:
    """Start ``argv`` detached in a new session (its own group); output to ``log_path``."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        child = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True, env=env,
        )
    _children[child.pid] = child
    return child.pid


def _stat_fields(pid: int) -> list[str]:
    """``/proc/<pid>/stat`` after the command name (field 3 onwards); [] when gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return []
    return stat.rsplit(")", 1)[1].split()


def start_time(pid: int | None) -> int | None:
    """When ``pid`` started (clock ticks since boot): with the PID, it names one process
    for good, so a recorded PID that the kernel gave to another process is not ours."""
    fields = _stat_fields(pid) if pid else []
    return int(fields[19]) if fields else None


def alive(pid: int | None, started: int | None = None) -> bool:
    """True when ``pid`` runs and is not a zombie (and, given ``started``, is still the
    process that started then)."""
    if not pid:
        return False
    child = _children.get(pid)
    if child is not None and child.poll() is not None:
        return False
    fields = _stat_fields(pid)
    if not fields or fields[0] == "Z":
        return False
    return started is None or int(fields[19]) == started


def command_line(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def stop(pid: int | None, timeout_s: float = 5.0, started: int | None = None) -> None:
    """SIGTERM the process group led by ``pid``, SIGKILL it if it lingers, reap it
    (given ``started``, only if ``pid`` is still that process)."""
    if not pid or not alive(pid, started):
        _reap(pid)
        return
    _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    if alive(pid):
        _signal_group(pid, signal.SIGKILL)
        while alive(pid):
            time.sleep(0.02)
    _reap(pid)


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)  # the group id is the leader's pid (start_new_session)
    except ProcessLookupError:
        pass
    except PermissionError:
        os.kill(pid, sig)


def _reap(pid: int | None) -> None:
    child = _children.pop(pid, None) if pid else None
    if child is not None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=1)
