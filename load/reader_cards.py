"""Blocked U-KEYs in the real virtual readers, for the ``pcsc`` profile: pcscd + vpcd and
one card process per key (emulator/virtual_ukey), reached by the agent's own
``PcscDriver`` over pyscard — the path a user's browser plug-in takes.

Per visit a fresh card is personalised for the persona's key serial (software key, the
certificate issued by the load world's test CA with the persona's serial, DN and dates),
its user PIN blocked (tries left 0, SW 6983, as after six wrong PINs), inserted in a free
reader; after the visit it is pulled out and deleted. Kept free of Locust so unit tests
can drive it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from emulator.personas import PersonaCertificate, TestCA
from emulator.testing.keys import discard_card, personalise
from emulator.virtual_ukey.world import VirtualUKeyWorld
from szca_unlock.ukey.pcsc import PcscDriver
from szca_unlock.ukey.pcsc_transport import CardConnection, PyscardConnection

INITIAL_PIN = "123456"  # never checked: the card is blocked (cheap scrypt cost, see personalise)

Offload = Callable[[Callable[..., Any], Any], Any]
# The reader world's registry is guarded by a file lock (flock). Two greenlets of one Locust
# process would each open it and the second would block the whole hub while the first
# waits cooperatively for its card: one card operation at a time per process. (Created
# after Locust's gevent patching, this is a cooperative lock there; a real one elsewhere.)
_WORLD_LOCK = threading.Lock()


def run_here(func: Callable[..., Any], args: Any) -> Any:
    return func(*args)


class OffloadedConnection:
    """A pyscard connection whose blocking PC/SC calls run through ``offload`` (Locust:
    gevent's OS-thread pool, so one card exchange never stalls the other users)."""

    def __init__(self, reader: str, offload: Offload = run_here) -> None:
        self._offload = offload
        self._conn: CardConnection = offload(PyscardConnection, (reader,))

    def transmit(self, apdu: bytes) -> bytes:
        return bytes(self._offload(self._conn.transmit, (apdu,)))

    def close(self) -> None:
        self._offload(self._conn.close, ())


@dataclass(frozen=True)
class ReaderCard:
    serial: str
    reader: str
    driver: PcscDriver  # sees only this card's reader, as a user with one key plugged in


class ReaderCards:
    """Create, block, insert and pull out persona cards in the running reader world."""

    def __init__(self, ukey_home: Path, ca: TestCA, master_key: bytes,
                 offload: Offload = run_here) -> None:
        # Not started: the load world runs pcscd; this process only places cards in it.
        self.world = VirtualUKeyWorld(home=ukey_home)
        self.ca = ca
        self.master_key = master_key
        self.offload = offload

    def insert_locked(self, certificate: PersonaCertificate) -> ReaderCard:
        serial = certificate.key_serial
        with _WORLD_LOCK:
            self._discard(serial)  # left over from a visit that was cut short
            state = personalise(self.world.repo, self.ca, certificate, self.master_key,
                                INITIAL_PIN)
            # blocked as after six wrong PINs, without typing them (throughput of a load run)
            self.world.repo.save(state.with_(tries_left=0))
            reader = self.world.insert(serial)
        driver = PcscDriver(reader_names=lambda: [reader],
                            connect=lambda name: OffloadedConnection(name, self.offload))
        return ReaderCard(serial, reader, driver)

    def discard(self, serial: str) -> None:
        """Pull the card out of its reader (if in one) and delete it (if it exists)."""
        with _WORLD_LOCK:
            self._discard(serial)

    def discard_all(self) -> None:
        """Every card of this home (the end of a run, whatever was cut short)."""
        with _WORLD_LOCK:
            for serial in self.world.repo.serials():
                self._discard(serial)

    def _discard(self, serial: str) -> None:
        discard_card(self.world, serial)

    def tries_left(self, serial: str) -> int:
        return self.world.status(serial).tries_left
