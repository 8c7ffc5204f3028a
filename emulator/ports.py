"""Loopback TCP ports of a world's servers: a free one by default, and for a fixed one that
is taken, who holds it (so the user is told at once instead of a server dying later)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

LOOPBACK = "127.0.0.1"


class PortTaken(RuntimeError):
    """A fixed port is in use; the message (Chinese) names the port and its holder."""


def free_port(host: str = LOOPBACK) -> int:
    """A port nothing listens on now (the kernel's choice)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _listening_inodes(port: int) -> set[str]:
    """Socket inodes listening on ``port`` (any address, IPv4 or IPv6), from /proc/net."""
    inodes: set[str] = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = Path(f"/proc/net/{table}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                inodes.add(inode)
    return inodes


def _holder_of(inodes: set[str]) -> tuple[int, list[str], str] | None:
    """PID, command line and SZCA_HOME of a process that has one of ``inodes`` open."""
    wanted = {f"socket:[{inode}]" for inode in inodes}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fds = list((entry / "fd").iterdir())
            if not any(os.readlink(fd) in wanted for fd in fds):
                continue
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        home = next((v[len(b"SZCA_HOME="):].decode(errors="replace") for v in environ
                     if v.startswith(b"SZCA_HOME=")), "")
        return int(entry.name), [a.decode(errors="replace") for a in argv if a], home
    return None


def describe_holder(port: int) -> str | None:
    """Who listens on ``port`` ("PID 123（python -m …，SZCA_HOME=…）"), None when nobody."""
    inodes = _listening_inodes(port)
    if not inodes:
        return None
    holder = _holder_of(inodes)
    if holder is None:
        return "另一个程序（无权查看是哪个）"
    pid, argv, home = holder
    command = " ".join(argv)[:120]
    return f"PID {pid}（{command}{f'，SZCA_HOME={home}' if home else ''}）"


def require_free(port: int, what: str, host: str = LOOPBACK) -> None:
    """Fail at once when ``port`` cannot be bound on ``host``, naming its holder."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
            return
        except OSError:
            pass
    holder = describe_holder(port) or "一个连接（本机端口正被占用）"
    raise PortTaken(f"{what}端口 {port} 已被占用：{holder}。请停止占用它的程序"
                    "（若是另一个模拟环境：在它的 SZCA_HOME 下运行 szca-emulator down），"
                    "或不指定端口，由系统分配空闲端口")
