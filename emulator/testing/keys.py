"""A locked virtual U-KEY for a persona certificate, and the checks a user makes on it.

The card is personalised for the persona's key serial with a certificate the test CA issues
(the persona's serial, DN and dates), then the user types wrong PINs until the card answers
6983. Two ways to reach its card OS (emulator/virtual_ukey):

* ``InProcessKey`` — APDUs handed to the card object: fast, no pcscd;
* ``ReaderKey`` — the real reader path pyscard → pcscd → vpcd → card process, as the CA
  driver tool takes; it can be pulled out and inserted again (C-6).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from emulator.personas import PersonaCertificate, TestCA, issuer_for
from emulator.virtual_ukey import factory as card_os
from emulator.virtual_ukey.card_os import UKeyOS
from emulator.virtual_ukey.state import CardRepository, CardState
from emulator.virtual_ukey.world import VirtualUKeyWorld
from szca_unlock.ukey import PinBlocked, PinIncorrect
from szca_unlock.ukey.base import UKey
from szca_unlock.ukey.errors import UKeyError
from szca_unlock.ukey.pcsc import PcscDriver
from szca_unlock.ukey.types import PinStatus

NEW_PIN = "Sz2026ok"  # what the tests' users choose at 立即解锁
WRONG_PIN = "000000"
# scrypt cost of the initial PIN: only wrong PINs are ever typed against it, so cheap; the
# PIN set by RESET RETRY COUNTER gets the card's normal cost.
INITIAL_PIN_COST = 2**10
_SIGNED = b"signed after the online unlock"


class VirtualKey:
    """One persona's U-KEY; subclasses say how its card OS is reached."""

    def __init__(self, persona: PersonaCertificate) -> None:
        self.persona = persona

    @property
    def serial(self) -> str:
        return self.persona.key_serial

    @property
    def initial_pin(self) -> str:
        return self.persona.pin

    @property
    def driver(self) -> PcscDriver:
        raise NotImplementedError

    def discard(self) -> None:
        raise NotImplementedError

    @contextmanager
    def _opened(self) -> Iterator[UKey]:
        driver = self.driver
        with driver.open(driver.list_keys()[0]) as key:
            yield key

    def lock(self) -> None:
        """Type wrong PINs until the card answers 6983 (blocked), as the user did; then
        even the right PIN is refused with 6983."""
        with self._opened() as key:
            for _ in range(32):
                try:
                    key.verify_pin(WRONG_PIN)
                except PinIncorrect:
                    continue
                except PinBlocked:
                    break
            else:
                raise AssertionError(f"U-KEY {self.serial} did not block")
            try:
                key.verify_pin(self.initial_pin)
            except PinBlocked:
                return
        raise AssertionError(f"U-KEY {self.serial} accepted its PIN after blocking")

    def pin_status(self) -> PinStatus:
        with self._opened() as key:
            return key.pin_status()

    def is_blocked(self) -> bool:
        return self.pin_status().blocked

    def accepts_pin(self, pin: str) -> bool:
        """Whether the key takes ``pin`` now (any refusal: it does not)."""
        with self._opened() as key:
            try:
                key.verify_pin(pin)
            except UKeyError:
                return False
            return True

    def certificate(self) -> x509.Certificate:
        with self._opened() as key:
            return x509.load_der_x509_certificate(key.certificate())

    def verify_and_sign(self, pin: str) -> x509.Certificate:
        """The PIN verifies and the key signs data that verifies against its certificate."""
        with self._opened() as key:
            key.verify_pin(pin)
            signature = key.sign(_SIGNED)
            certificate = x509.load_der_x509_certificate(key.certificate())
        public = certificate.public_key()
        assert isinstance(public, ec.EllipticCurvePublicKey)
        public.verify(signature, _SIGNED, ec.ECDSA(hashes.SHA256()))
        return certificate

    def assert_unlocked_with(self, pin: str, certificate_serial: str) -> None:
        """After 立即解锁: the new PIN works and the key holds this certificate."""
        certificate = self.verify_and_sign(pin)
        assert f"{certificate.serial_number:X}" == certificate_serial.lstrip("0")


class InProcessConnection:
    """A card session without a reader: power up on connect, power down on close."""

    def __init__(self, card: UKeyOS) -> None:
        self._card = card
        card.powerUp()

    def transmit(self, apdu: bytes) -> bytes:
        return bytes(self._card.execute(apdu))

    def close(self) -> None:
        self._card.powerDown()


class InProcessKey(VirtualKey):
    def __init__(self, persona: PersonaCertificate, repo: CardRepository) -> None:
        super().__init__(persona)
        self.repo = repo
        self.reader = "in-process"

    @property
    def driver(self) -> PcscDriver:
        serial, repo = self.serial, self.repo
        return PcscDriver(reader_names=lambda: ["in-process"],
                          connect=lambda _: InProcessConnection(card_os.open_card(serial, repo)))

    def discard(self) -> None:
        if self.repo.exists(self.serial):
            card_os.delete_card(self.serial, self.repo)


class ReaderKey(VirtualKey):
    """``reader`` is None while the key is pulled out."""

    def __init__(self, persona: PersonaCertificate, world: VirtualUKeyWorld,
                 reader: str | None = None) -> None:
        super().__init__(persona)
        self.world = world
        self.reader = reader

    @property
    def driver(self) -> PcscDriver:
        reader = self.reader
        if reader is None:
            raise RuntimeError(f"U-KEY {self.serial} is not in a reader")
        return PcscDriver(reader_names=lambda: [reader])

    def insert(self) -> None:
        if self.reader is None:
            self.reader = self.world.insert(self.serial)

    def pull_out(self) -> None:
        if self.reader is not None:
            self.world.remove(self.serial)
            self.reader = None

    def discard(self) -> None:
        discard_card(self.world, self.serial)
        self.reader = None


def discard_card(world: VirtualUKeyWorld, serial: str) -> None:
    """Pull the card out (if in a reader) and delete it (if it exists), whatever a test or
    a cut-short visit left."""
    if world.repo.exists(serial):
        if world.status(serial).reader:
            world.remove(serial)
        world.delete_card(serial)


def personalise(repo: CardRepository, ca: TestCA, persona: PersonaCertificate,
                master_key: bytes, pin: str | None = None) -> CardState:
    """A new software-key card for the persona (``pin`` defaults to the persona's)."""
    spec = card_os.CardSpec(serial=persona.key_serial, pin=pin or persona.pin,
                            key_store="software", pin_cost=INITIAL_PIN_COST)
    return card_os.create_card(spec, issuer_for(ca, persona), master_key=master_key, repo=repo)


def lock_in_process(repo: CardRepository, ca: TestCA, persona: PersonaCertificate,
                    master_key: bytes) -> InProcessKey:
    """A fresh card for ``persona`` reached in-process, locked."""
    key = InProcessKey(persona, repo)
    key.discard()
    personalise(repo, ca, persona, master_key)
    key.lock()
    return key


def lock_in_reader(world: VirtualUKeyWorld, ca: TestCA, persona: PersonaCertificate,
                   master_key: bytes) -> ReaderKey:
    """A fresh card for ``persona``, inserted in a free virtual reader and locked."""
    key = ReaderKey(persona, world)
    key.discard()
    personalise(world.repo, ca, persona, master_key)
    key.insert()
    key.lock()
    return key
