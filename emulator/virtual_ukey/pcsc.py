"""pcscd and its vpcd readers: our reader.conf.d, start/stop by PID, reader queries."""

from __future__ import annotations

import shutil
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from smartcard import scard

from emulator.virtual_ukey import processes

VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
SYSTEM_PID_FILE = Path("/run/pcscd/pcscd.pid")
SYSTEM_SOCKET = Path("/run/pcscd/pcscd.comm")
FRIENDLY = "SZCA Virtual UKEY"


class PcscError(RuntimeError):
    """pcscd could not be started or queried."""


@dataclass(frozen=True)
class Reader:
    name: str
    port: int


def write_reader_config(conf_dir: Path, count: int, base_port: int) -> list[Reader]:
    """One vpcd entry serves two slots (port, port+1), named "<friendly> 00 00/01".

    libifdvpcd keeps its slots in a static array indexed by slot number only, so two
    entries sharing one loaded driver overwrite each other and no card is ever seen.
    Each entry therefore gets its own copy of the driver (a distinct inode, so dlopen
    loads a separate instance).
    """
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


def ports_in_use(ports: list[int]) -> list[int]:
    """The ports vpcd could not listen on now: held by a listener or by a connection's
    local end (TIME_WAIT left by the last world does not count: SO_REUSEADDR)."""
    busy = []
    for port in ports:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("0.0.0.0", port))
            except OSError:
                busy.append(port)
    return busy


def running_pcscd() -> int | None:
    """The PID of the machine's pcscd if one runs (there is one socket per machine)."""
    try:
        pid = int(SYSTEM_PID_FILE.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if processes.alive(pid) else None


def start_pcscd(conf_dir: Path, log_path: Path) -> int:
    return processes.spawn(["pcscd", "--foreground", "--config", str(conf_dir)], log_path)


def list_readers() -> list[str]:
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        return []
    try:
        hresult, names = scard.SCardListReaders(context, [])
        return list(names) if hresult == scard.SCARD_S_SUCCESS else []
    finally:
        scard.SCardReleaseContext(context)


def wait_for_readers(names: list[str], timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not set(names) <= set(list_readers()):
        if time.monotonic() > deadline:
            raise PcscError(f"pcscd did not show readers {names} within {timeout_s:.0f}s")
        time.sleep(0.05)


def card_present(reader: str) -> bool:
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


def wait_card_presence(reader: str, present: bool, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while card_present(reader) != present:
        if time.monotonic() > deadline:
            what = "insertion" if present else "removal"
            raise PcscError(f"pcscd did not see the card {what} on {reader!r}")
        time.sleep(0.02)
