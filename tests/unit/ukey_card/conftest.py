from __future__ import annotations

from collections.abc import Callable

import pytest

from emulator.virtual_ukey.apdu import ResponseAPDU
from emulator.virtual_ukey.card_os import UKeyOS
from emulator.virtual_ukey.factory import open_card
from emulator.virtual_ukey.state import CardRepository


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class CardDriver:
    """Sends hex APDUs straight to the card OS (no reader) and parses the answer."""

    def __init__(self, card: UKeyOS) -> None:
        self.card = card

    def send(self, apdu: str | bytes) -> ResponseAPDU:
        raw = bytes.fromhex(apdu) if isinstance(apdu, str) else apdu
        return ResponseAPDU.parse(self.card.execute(raw))

    def sw(self, apdu: str | bytes) -> int:
        return self.send(apdu).sw


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def open_driver(ukey_home, clock) -> Callable[[str], CardDriver]:
    def make(serial: str) -> CardDriver:
        card = open_card(serial, CardRepository(ukey_home), clock=clock)
        card.powerUp()
        return CardDriver(card)

    return make


@pytest.fixture
def card(ukey_card_factory, open_driver) -> CardDriver:
    """A fresh default card (PIN 123456, 6 tries, admin 10), powered up."""
    return open_driver(ukey_card_factory().serial)
