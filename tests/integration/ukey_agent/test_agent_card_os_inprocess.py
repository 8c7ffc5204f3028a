"""Contract check without a reader: the agent's PC/SC key and UnlockAgent against the
card helper's real card OS (emulator/virtual_ukey), APDUs handed over in-process.

The same exchange through pcscd + vpcd is in test_agent_pcsc_virtual_card.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from agent_fake_service import AuthorityBackedService
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from emulator.virtual_ukey import factory as card_os
from emulator.virtual_ukey.selfsigned import self_signed_issuer
from emulator.virtual_ukey.state import CardRepository
from szca_unlock.ukey import (
    PinBlocked,
    PinIncorrect,
    PinStatus,
    UnlockAgent,
    UnlockConditionsNotSatisfied,
    UnlockCryptogramRefused,
)
from szca_unlock.ukey.pcsc import PcscDriver, PcscKey

SERIAL = "SZ2025000042"
PIN = "246810"
NEW_PIN = "Sz2025ab"


class InProcessConnection:
    """A card session: power up on connect, power down on close."""

    def __init__(self, card: object) -> None:
        self._card = card
        card.powerUp()  # type: ignore[attr-defined]

    def transmit(self, apdu: bytes) -> bytes:
        return bytes(self._card.execute(apdu))  # type: ignore[attr-defined]

    def close(self) -> None:
        self._card.powerDown()  # type: ignore[attr-defined]


@pytest.fixture
def master_key() -> bytes:
    return os.urandom(32)


@pytest.fixture
def driver(tmp_path: Path, master_key: bytes) -> PcscDriver:
    repo = CardRepository(tmp_path)
    card_os.create_card(card_os.CardSpec(serial=SERIAL, pin=PIN, key_store="software",
                                         pin_cost=2**10),
                        self_signed_issuer(), master_key=master_key, repo=repo)
    return PcscDriver(reader_names=lambda: ["in-process"],
                      connect=lambda _: InProcessConnection(card_os.open_card(SERIAL, repo)))


def _lock(driver: PcscDriver) -> None:
    with driver.open(driver.list_keys()[0]) as key:
        for _ in range(5):
            with pytest.raises(PinIncorrect):
                key.verify_pin("000000")
        with pytest.raises(PinBlocked):
            key.verify_pin("000000")


def test_locked_card_is_unlocked_then_verifies_and_signs(driver: PcscDriver,
                                                         master_key: bytes) -> None:
    _lock(driver)
    with driver.open(driver.list_keys()[0]) as key, pytest.raises(PinBlocked):
        key.verify_pin(PIN)
    service = AuthorityBackedService(master_key, SERIAL)
    result = UnlockAgent(service, driver).unlock("ORD-1", new_pin=NEW_PIN, confirm_pin=NEW_PIN,
                                                 expected_key_serial=SERIAL)
    assert result.order_state == "completed"
    assert result.pin_status == PinStatus(6, 6, False)
    with driver.open(driver.list_keys()[0]) as key:
        key.verify_pin(NEW_PIN)
        signature = key.sign(b"signed after unlock")
        public = x509.load_der_x509_certificate(key.certificate()).public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    public.verify(signature, b"signed after unlock", ec.ECDSA(hashes.SHA256()))


def test_a_cryptogram_from_another_master_key_is_refused_and_counted(
        driver: PcscDriver) -> None:
    _lock(driver)
    service = AuthorityBackedService(os.urandom(32), SERIAL)
    with pytest.raises(UnlockCryptogramRefused) as err:
        UnlockAgent(service, driver).unlock("ORD-1", new_pin=NEW_PIN, confirm_pin=NEW_PIN)
    assert err.value.tries_left == 9
    with driver.open(driver.list_keys()[0]) as key:
        assert key.pin_info().admin_tries_left == 9
        assert key.pin_status().blocked


def test_a_replayed_cryptogram_is_refused(driver: PcscDriver, master_key: bytes) -> None:
    service = AuthorityBackedService(master_key, SERIAL)
    with driver.open(driver.list_keys()[0]) as key:
        key_serial = key.serial()
        challenge = key.get_challenge()
        granted = service.authorise("ORD-1", key_serial, key.certificate_serial(),
                                    challenge.hex())
        cryptogram = bytes.fromhex(granted.cryptogram)
        key.reset_retry_counter(cryptogram, NEW_PIN)
        with pytest.raises(UnlockConditionsNotSatisfied):  # challenge consumed
            key.reset_retry_counter(cryptogram, "Other123")
        key.get_challenge()  # a fresh challenge: the old cryptogram no longer matches
        with pytest.raises(UnlockCryptogramRefused):
            key.reset_retry_counter(cryptogram, "Other123")
    with driver.open(driver.list_keys()[0]) as key:
        key.verify_pin(NEW_PIN)


def test_certificate_and_pin_info_read_through_the_agent(driver: PcscDriver) -> None:
    with driver.open(driver.list_keys()[0]) as key:
        assert isinstance(key, PcscKey)
        cert = x509.load_der_x509_certificate(key.certificate())
        assert key.certificate_serial() == format(cert.serial_number, "X")
        info = key.pin_info()
        assert (info.user_max, info.admin_max, info.pin_min_len, info.pin_max_len) == (
            6, 10, 6, 16)
        assert not key.is_verified()
        key.verify_pin(PIN)
        assert key.is_verified()
