"""Locked U-KEYs for load: the same card OS as the vpcd card (``UKeyOS``), reached
in-process through the agent's own PC/SC key class, without a reader.

Exercised: every APDU of the unlock (SELECT, GET DATA serial/PIN info, READ BINARY of the
certificate, GET CHALLENGE, RESET RETRY COUNTER with the service's cryptogram, VERIFY of
the new PIN), the card's MAC checks and PIN hashing, the agent's C-5/C-6 logic.
Not exercised: pcscd, the vpcd socket and the card process, and the card's atomic state
file (state is kept in memory: thousands of fsyncs would measure the disk, not the service).
The real reader path is the ``pcsc`` profile (load/pcsc.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from emulator.personas import PersonaCertificate
from emulator.virtual_ukey.card_os import UKeyOS
from emulator.virtual_ukey.keystore.software import SoftwareKey
from emulator.virtual_ukey.pin import PinHash
from emulator.virtual_ukey.protocol import derive_unlock_key
from emulator.virtual_ukey.state import CardState
from szca_unlock.ukey.pcsc import PcscDriver

READER = "in-process"
INITIAL_PIN = "123456"
NEW_PIN = "Sz2026ok"
# scrypt cost of the *initial* PIN hash: never checked on a locked card, so kept cheap.
# The new PIN set by RESET RETRY COUNTER gets the card's normal cost (2^14).
_INITIAL_PIN_COST = 2**4

Offload = Callable[[Callable[..., Any], Any], Any]


def locked_card(certificate: PersonaCertificate, der: bytes,
                private_key: ec.EllipticCurvePrivateKey, master_key: bytes) -> UKeyOS:
    """The persona's card with its user PIN blocked (tries left 0, SW 6983)."""
    serial = certificate.key_serial
    state = CardState(serial=serial,
                      pin_hash=PinHash.create(INITIAL_PIN.encode(), n=_INITIAL_PIN_COST).render(),
                      unlock_key=derive_unlock_key(master_key, serial).hex(), cert_der=der.hex(),
                      key_ref={"kind": "software", "path": ""}, tries_left=0)
    return UKeyOS(state, SoftwareKey(private_key), save=lambda _state: None)


class InProcessConnection:
    """A card session without a reader; ``offload`` runs each APDU (PIN hashing is
    CPU-heavy) off the load generator's event loop."""

    def __init__(self, card: UKeyOS, offload: Offload) -> None:
        self._card = card
        self._offload = offload
        card.powerUp()

    def transmit(self, apdu: bytes) -> bytes:
        return bytes(self._offload(self._card.execute, (apdu,)))

    def close(self) -> None:
        self._card.powerDown()


def in_process_driver(card: UKeyOS, offload: Offload) -> PcscDriver:
    """The agent's PC/SC driver with one reader that holds ``card``."""
    return PcscDriver(reader_names=lambda: [READER],
                      connect=lambda _reader: InProcessConnection(card, offload))
