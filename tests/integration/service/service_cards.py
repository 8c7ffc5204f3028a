"""Locked virtual U-KEYs for the personas' certificates and the checks a user makes after
立即解锁 (the new PIN verifies, the key signs).

Two ways to reach the card OS of emulator/virtual_ukey: in-process (APDUs handed to the
card object: fast, no machine-wide pcscd, used for the full flow matrix) and the real
reader path pyscard → pcscd → vpcd → card process (marked ``pcsc``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from emulator.personas import PersonaCertificate, TestCA, issuer_for
from emulator.virtual_ukey import factory as card_os
from emulator.virtual_ukey.state import CardRepository
from emulator.virtual_ukey.world import VirtualUKeyWorld
from szca_unlock.ukey import PinBlocked, PinIncorrect, UnlockAgent
from szca_unlock.ukey.pcsc import PcscDriver
from szca_unlock.ukey.service_client import HttpUnlockServiceClient

NEW_PIN = "Sz2026ok"


@dataclass
class LockedKey:
    serial: str
    reader: str
    driver: PcscDriver
    initial_pin: str

    def lock(self) -> None:
        """Type wrong PINs until the card answers 6983 (blocked), as a user would."""
        with self.driver.open(self.driver.list_keys()[0]) as key:
            for _ in range(6):
                try:
                    key.verify_pin("000000")
                except PinIncorrect:
                    continue
                except PinBlocked:
                    break
            with pytest.raises(PinBlocked):  # SW 6983 even for the right PIN
                key.verify_pin(self.initial_pin)

    def is_blocked(self) -> bool:
        with self.driver.open(self.driver.list_keys()[0]) as key:
            return key.pin_status().blocked

    def assert_unlocked_with(self, pin: str, certificate_serial: str) -> None:
        """The new PIN verifies and the key signs data that verifies against its certificate."""
        with self.driver.open(self.driver.list_keys()[0]) as key:
            key.verify_pin(pin)
            message = b"signed after the online unlock"
            signature = key.sign(message)
            certificate = x509.load_der_x509_certificate(key.certificate())
        assert f"{certificate.serial_number:X}" == certificate_serial.lstrip("0")
        public = certificate.public_key()
        assert isinstance(public, ec.EllipticCurvePublicKey)
        public.verify(signature, message, ec.ECDSA(hashes.SHA256()))


class InProcessConnection:
    """A card session without a reader: power up on connect, power down on close."""

    def __init__(self, card: object) -> None:
        self._card = card
        card.powerUp()  # type: ignore[attr-defined]

    def transmit(self, apdu: bytes) -> bytes:
        return bytes(self._card.execute(apdu))  # type: ignore[attr-defined]

    def close(self) -> None:
        self._card.powerDown()  # type: ignore[attr-defined]


def make_in_process_key(repo: CardRepository, ca: TestCA, persona: PersonaCertificate,
                        master_key: bytes) -> LockedKey:
    """A fresh card for ``persona`` reached in-process, locked."""
    serial = persona.key_serial
    if repo.exists(serial):
        card_os.delete_card(serial, repo)
    card_os.create_card(card_os.CardSpec(serial=serial, pin=persona.pin, key_store="software",
                                         pin_cost=2**10),
                        issuer_for(ca, persona), master_key=master_key, repo=repo)
    driver = PcscDriver(reader_names=lambda: ["in-process"],
                        connect=lambda _: InProcessConnection(card_os.open_card(serial, repo)))
    key = LockedKey(serial, "in-process", driver, persona.pin)
    key.lock()
    return key


def make_locked_key(world: VirtualUKeyWorld, ca: TestCA, persona: PersonaCertificate,
                    master_key: bytes) -> LockedKey:
    """A fresh card for ``persona`` (its certificate from the test CA), inserted and locked."""
    serial = persona.key_serial
    if world.repo.exists(serial):
        if world.status(serial).reader:
            world.remove(serial)
        world.delete_card(serial)
    world.create_card(serial, persona.pin, issue_certificate=issuer_for(ca, persona),
                      master_key=master_key, key_store="software")
    reader = world.insert(serial)
    key = LockedKey(serial, reader, PcscDriver(reader_names=lambda: [reader]), persona.pin)
    key.lock()
    return key


def pull_out(world: VirtualUKeyWorld, key: LockedKey) -> None:
    if world.status(key.serial).reader:
        world.remove(key.serial)
    world.delete_card(key.serial)


def unlock_with_agent(api: Any, order_no: str, key: LockedKey) -> str:
    """立即解锁: the agent (the CA driver tool) asks the service and resets the card."""
    client = HttpUnlockServiceClient(api.base_url, api.token)
    try:
        result = UnlockAgent(client, key.driver).unlock(
            order_no, new_pin=NEW_PIN, confirm_pin=NEW_PIN, expected_key_serial=key.serial)
    finally:
        client.close()
    return result.order_state
