"""A world's own pcscd and its vpcd readers: reader.conf.d, the private namespaces pcscd
runs in, and reader queries through that pcscd's socket.

pcscd 1.9.9 binds ``/run/pcscd/pcscd.comm`` (compiled in). Each world therefore starts its
pcscd with ``unshare --mount --net``: in the private mount namespace ``/run/pcscd`` is a
bind mount of the world's own socket directory, and in the private network namespace the
vpcd reader ports (vpcd listens on INADDR_ANY, see docs/decisions/virtual-ukey.md) exist on
that namespace's loopback only. Clients reach the daemon through the socket file in the
world's directory: libpcsclite reads ``PCSCLITE_CSOCK_NAME`` once per process, at its first
connection, and keeps it (``getSocketName`` in winscard_msg.c), so one process talks to one
world; the queries this module makes for another world run in a child process.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from emulator.virtual_ukey import processes

VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
FRIENDLY = "SZCA Virtual UKEY"
CSOCK_ENV = "PCSCLITE_CSOCK_NAME"
SOCKET_NAME = "pcscd.comm"
MAX_READERS = 16  # PCSCLITE_MAX_READERS_CONTEXTS: what one pcscd serves
_SUN_PATH_MAX = 107  # sockaddr_un.sun_path (108) minus the NUL; longer names are cut off
# In the new namespaces: loopback up (a new network namespace has it down), the world's
# socket directory over /run/pcscd, then pcscd itself (exec: the PID we record is pcscd's).
_NAMESPACE_SCRIPT = ('ip link set lo up && mkdir -p /run/pcscd && '
                     'mount --bind "$1" /run/pcscd && exec pcscd --foreground --config "$2"')


class PcscError(RuntimeError):
    """pcscd could not be started or queried."""


@dataclass(frozen=True)
class Reader:
    name: str
    port: int


def socket_dir(runtime_dir: Path) -> Path:
    """Where a world's pcscd puts its socket: ``<runtime>/pcscd``, or, when that path is
    too long for a Unix socket address, a short directory named after it in the temp dir."""
    wanted = runtime_dir.resolve() / "pcscd"
    if len(str(wanted / SOCKET_NAME)) <= _SUN_PATH_MAX:
        return wanted
    digest = hashlib.sha256(str(wanted).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"szca-pcscd-{digest}"


def socket_path(runtime_dir: Path) -> Path:
    return socket_dir(runtime_dir) / SOCKET_NAME


def write_reader_config(conf_dir: Path, count: int, base_port: int) -> list[Reader]:
    """One vpcd entry serves two slots (port, port+1), named "<friendly> 00 00/01".

    libifdvpcd keeps its slots in a static array indexed by slot number only, so two
    entries sharing one loaded driver overwrite each other and no card is ever seen.
    Each entry therefore gets its own copy of the driver (a distinct inode, so dlopen
    loads a separate instance).
    """
    if not 1 <= count <= MAX_READERS:
        raise PcscError(f"a pcscd serves 1 to {MAX_READERS} readers, not {count}")
    conf_dir.mkdir(parents=True, exist_ok=True)
    drivers = conf_dir.parent / "drivers"
    drivers.mkdir(exist_ok=True)
    for old in [*conf_dir.glob("szca-vpcd-*"), *drivers.glob("libifdvpcd-*.so")]:
        old.unlink()
    readers: list[Reader] = []
    for entry in range((count + 1) // 2):
        port = base_port + 2 * entry
        friendly = f"{FRIENDLY} {entry}"
        driver = drivers / f"libifdvpcd-{entry}.so"
        shutil.copyfile(VPCD_DRIVER, driver)
        (conf_dir / f"szca-vpcd-{entry}").write_text(
            f'FRIENDLYNAME "{friendly}"\nDEVICENAME   /dev/null:0x{port:X}\n'
            f"LIBPATH      {driver}\nCHANNELID    0x{port:X}\n"
        )
        readers += [Reader(f"{friendly} 00 {slot:02X}", port + slot) for slot in (0, 1)]
    return readers[:count]


def namespaces_available() -> str | None:
    """None when this process may start a world's pcscd; else why not (Chinese)."""
    if os.geteuid() != 0:
        return ("每个虚拟 U-KEY 环境在独立的挂载与网络命名空间中运行自己的 pcscd，"
                "需要 root 权限（CI 与测试机均以 root 运行）")
    missing = [tool for tool in ("unshare", "nsenter", "ip", "pcscd") if not shutil.which(tool)]
    if missing:
        return f"缺少程序 {', '.join(missing)}，请运行 scripts/install-system-deps.sh"
    return None


def start_pcscd(conf_dir: Path, sockets: Path, log_path: Path) -> int:
    """pcscd in new mount + network namespaces, serving ``sockets/pcscd.comm``."""
    sockets.mkdir(parents=True, exist_ok=True, mode=0o755)
    for stale in (sockets / SOCKET_NAME, sockets / "pcscd.pid"):
        stale.unlink(missing_ok=True)  # left by a pcscd that was killed hard
    return processes.spawn(
        ["unshare", "--mount", "--propagation", "private", "--net", "--",
         "sh", "-c", _NAMESPACE_SCRIPT, "szca-pcscd", str(sockets), str(conf_dir)], log_path)


def in_network_of(pcscd_pid: int, argv: list[str]) -> list[str]:
    """``argv`` run in the network namespace of the world's pcscd (where its readers are)."""
    return ["nsenter", f"--net=/proc/{pcscd_pid}/ns/net", "--", *argv]


# --- queries ------------------------------------------------------------------------
_pinned: str | None = None  # the socket pin_process pointed this process at


def pin_process(socket: Path) -> None:
    """Point this process's PC/SC clients at ``socket`` for good, before any PC/SC call
    (libpcsclite keeps the socket of its first connection); a second, different pin is
    refused rather than silently talking to the first world."""
    global _pinned
    if _pinned is not None and _pinned != str(socket):
        raise PcscError(f"this process already talks to the pcscd at {_pinned} "
                        f"(libpcsclite reads {CSOCK_ENV} once); not to {socket}")
    _pinned = str(socket)
    os.environ[CSOCK_ENV] = _pinned


def bind_process(socket: Path) -> bool:
    """Point this process's PC/SC library at ``socket`` unless it already talks to another
    world; True when this process now talks to ``socket``."""
    current = _pinned or os.environ.get(CSOCK_ENV)
    if current is None:
        os.environ[CSOCK_ENV] = str(socket)
        return True
    return Path(current) == socket


def list_readers() -> list[str]:
    from smartcard import scard

    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        return []
    try:
        hresult, names = scard.SCardListReaders(context, [])
        return list(names) if hresult == scard.SCARD_S_SUCCESS else []
    finally:
        scard.SCardReleaseContext(context)


def card_present(reader: str) -> bool:
    from smartcard import scard

    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        return False
    try:
        hresult, states = scard.SCardGetStatusChange(
            context, 0, [(reader, scard.SCARD_STATE_UNAWARE)])
        if hresult != scard.SCARD_S_SUCCESS:
            return False
        return bool(states[0][1] & scard.SCARD_STATE_PRESENT)
    finally:
        scard.SCardReleaseContext(context)


def _wait_readers_here(names: list[str], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not set(names) <= set(list_readers()):
        if time.monotonic() > deadline:
            raise PcscError(f"pcscd did not show readers {names} within {timeout_s:.0f}s")
        time.sleep(0.05)


def _wait_presence_here(reader: str, present: bool, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while card_present(reader) != present:
        if time.monotonic() > deadline:
            what = "insertion" if present else "removal"
            raise PcscError(f"pcscd did not see the card {what} on {reader!r}")
        time.sleep(0.02)


class WorldPcsc:
    """Reader queries against one world's pcscd: in this process when it talks to that
    world (or to none yet), else in a short-lived child process pointed at it."""

    def __init__(self, socket: Path) -> None:
        self.socket = socket

    def wait_for_readers(self, names: list[str], timeout_s: float = 10.0) -> None:
        if bind_process(self.socket):
            _wait_readers_here(names, timeout_s)
        else:
            self._in_child(["readers", f"{timeout_s}", *names])

    def wait_card_presence(self, reader: str, present: bool, timeout_s: float = 10.0) -> None:
        if bind_process(self.socket):
            _wait_presence_here(reader, present, timeout_s)
        else:
            self._in_child(["presence", f"{timeout_s}", reader, "1" if present else "0"])

    def _in_child(self, args: list[str]) -> None:
        done = subprocess.run([sys.executable, "-m", __name__, *args], capture_output=True,
                              text=True, env={**os.environ, CSOCK_ENV: str(self.socket)},
                              check=False)
        if done.returncode != 0:
            raise PcscError(done.stderr.strip().splitlines()[-1] if done.stderr.strip()
                            else f"pcsc query {args[0]} failed ({done.returncode})")


def main(argv: list[str] | None = None) -> int:
    """``python -m emulator.virtual_ukey.pcsc readers|presence ...`` (for ``WorldPcsc``)."""
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="what", required=True)
    readers = sub.add_parser("readers")
    readers.add_argument("timeout", type=float)
    readers.add_argument("names", nargs="+")
    presence = sub.add_parser("presence")
    presence.add_argument("timeout", type=float)
    presence.add_argument("reader")
    presence.add_argument("present", choices=["0", "1"])
    args = parser.parse_args(argv)
    try:
        if args.what == "readers":
            _wait_readers_here(args.names, args.timeout)
        else:
            _wait_presence_here(args.reader, args.present == "1", args.timeout)
    except PcscError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
