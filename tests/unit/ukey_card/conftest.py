from __future__ import annotations

from collections.abc import Callable

import pytest

from emulator.virtual_ukey.apdu import ResponseAPDU
from emulator.virtual_ukey.card_os import UKeyOS
from emulator.virtual_ukey.factory import open_card
from emulator.virtual_ukey.state import CardRepository, CardState

# scrypt's cost N for the PIN hash of the cards these tests make: the card OS's logic does not
# depend on it, while the product's 2**14 costs ~35 ms per card and per wrong PIN, and the
# mutation run (tox -e mutation) makes thousands. A PIN set on the card (change, unlock) and
# every card made outside these tests keep the product's cost.
TEST_PIN_COST = 2**10


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
def ukey_card_factory(ukey_card_factory: Callable[..., CardState]) -> Callable[..., CardState]:
    """The plugin's factory, with the cheap PIN hash cost unless a test names its own."""

    def make(**fields: object) -> CardState:
        fields.setdefault("pin_cost", TEST_PIN_COST)
        return ukey_card_factory(**fields)

    return make


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
