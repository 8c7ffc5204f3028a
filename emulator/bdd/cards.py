"""The user's U-KEYs in the virtual readers of the pcscd + vpcd world.

Every check goes through the reader (pyscard → pcscd → vpcd → card process), as the CA
driver tool would: PIN status, PIN verification, the certificate, a signature.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from emulator.personas import PersonaCertificate, TestCA, issuer_for
from emulator.virtual_ukey.world import VirtualUKeyWorld
from szca_unlock.ukey import PinBlocked, PinIncorrect
from szca_unlock.ukey.pcsc import PcscDriver
from szca_unlock.ukey.types import PinStatus

WRONG_PIN = "000000"


@dataclass
class UserKey:
    """One U-KEY of the scenario; ``reader`` is None while it is pulled out."""

    persona: PersonaCertificate
    world: VirtualUKeyWorld
    reader: str | None = None
    pins: list[str] = field(default_factory=list)

    @property
    def serial(self) -> str:
        return self.persona.key_serial

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

    def pin_status(self) -> PinStatus:
        with self.driver().open(self.driver().list_keys()[0]) as key:
            return key.pin_status()

    def lock(self) -> None:
        """Type wrong PINs until the card answers 6983 (blocked), as the user did."""
        with self.driver().open(self.driver().list_keys()[0]) as key:
            for _ in range(32):
                try:
                    key.verify_pin(WRONG_PIN)
                except PinIncorrect:
                    continue
                except PinBlocked:
                    return
        raise AssertionError(f"U-KEY {self.serial} did not block")

    def certificate(self) -> x509.Certificate:
        with self.driver().open(self.driver().list_keys()[0]) as key:
            return x509.load_der_x509_certificate(key.certificate())

    def verify_and_sign(self, pin: str) -> None:
        """The PIN verifies and the key signs data that verifies against its certificate."""
        with self.driver().open(self.driver().list_keys()[0]) as key:
            key.verify_pin(pin)
            message = b"signed after the online unlock"
            signature = key.sign(message)
            certificate = x509.load_der_x509_certificate(key.certificate())
        public = certificate.public_key()
        assert isinstance(public, ec.EllipticCurvePublicKey)
        public.verify(signature, message, ec.ECDSA(hashes.SHA256()))

    def discard(self) -> None:
        self.pull_out()
        if self.world.repo.exists(self.serial):
            self.world.delete_card(self.serial)


def make_locked_key(world: VirtualUKeyWorld, ca: TestCA, persona: PersonaCertificate,
                    master_key: bytes) -> UserKey:
    """Personalise the persona's key (certificate from the test CA), insert it, block its PIN."""
    if world.repo.exists(persona.key_serial):
        UserKey(persona, world, world.status(persona.key_serial).reader).discard()
    world.create_card(persona.key_serial, persona.pin, issue_certificate=issuer_for(ca, persona),
                      master_key=master_key, key_store="software")
    key = UserKey(persona, world)
    key.insert()
    key.lock()
    return key
