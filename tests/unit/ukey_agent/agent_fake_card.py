"""A small in-memory model of the documented card (docs/unlock-protocol.md), written from
the contract for the agent's unit tests; it records every APDU it receives."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, decode_dss_signature
from cryptography.x509.oid import NameOID

from szca_unlock.unlock import compute_cryptogram, compute_receipt, derive_card_key

MK = bytes(range(32))
AID = bytes.fromhex("F0535A4341554B455901")


def make_certificate(key: ec.EllipticCurvePrivateKey, serial_number: int = 0x1A2B3C) -> bytes:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "测试用户")])
    now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(serial_number)
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=365))
            .sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.DER)


def _sw(sw: int, data: bytes = b"") -> bytes:
    return data + sw.to_bytes(2, "big")


@dataclass
class FakeCard:
    serial: str = "SZ2025000001"
    pin: str = "246810"
    max_tries: int = 6
    admin_max: int = 10
    tries: int = 6
    admin: int = 10
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(
        ec.SECP256R1()))
    cert: bytes = b""
    selected: bool = False
    verified: bool = False
    challenge: bytes | None = None
    log: list[bytes] = field(default_factory=list)
    closed: int = 0

    def __post_init__(self) -> None:
        self.cert = self.cert or make_certificate(self.key)

    # CardConnection protocol
    def transmit(self, apdu: bytes) -> bytes:
        self.log.append(apdu)
        if apdu[0] != 0x00:
            return _sw(0x6E00)
        ins, p1, p2, body = apdu[1], apdu[2], apdu[3], apdu[4:]
        data = body[1:1 + body[0]] if len(body) > 1 else b""
        handler = {0xA4: self._select, 0xCA: self._get_data, 0xB0: self._read,
                   0x20: self._verify, 0x24: self._change, 0x84: self._challenge,
                   0x2C: self._reset, 0x2A: self._sign}.get(ins)
        if handler is None:
            return _sw(0x6D00)
        if ins != 0xA4 and not self.selected:
            return _sw(0x6985)
        return handler(p1, p2, data)

    def close(self) -> None:  # power down: the card session ends
        self.closed += 1
        self.selected = self.verified = False
        self.challenge = None

    def _select(self, p1: int, p2: int, data: bytes) -> bytes:
        if data != AID:
            return _sw(0x6A82)
        self.selected = True
        return _sw(0x9000, bytes([0x6F, 15, 0x84, 10]) + AID
                   + bytes([0xA5, 3, 1, self.max_tries, self.admin_max]))

    def _get_data(self, p1: int, p2: int, data: bytes) -> bytes:
        if (p1, p2) == (1, 1):
            return _sw(0x9000, self.serial.encode())
        if (p1, p2) == (1, 2):
            return _sw(0x9000, bytes([self.tries, self.max_tries, int(self.tries == 0),
                                      self.admin, self.admin_max, 6, 16]))
        return _sw(0x6A88)

    def _read(self, p1: int, p2: int, data: bytes) -> bytes:
        offset = p2 if p1 & 0x80 else (p1 << 8) | p2
        le = self.log[-1][4] or 256
        if offset >= len(self.cert):
            return _sw(0x6B00)
        chunk = self.cert[offset:offset + le]
        return _sw(0x6282 if len(chunk) < le else 0x9000, chunk)

    def _check_pin(self, pin: str) -> bytes | None:
        if self.tries == 0:
            return _sw(0x6983)
        if pin != self.pin:
            self.tries -= 1
            return _sw(0x6983 if self.tries == 0 else 0x63C0 | self.tries)
        self.tries = self.max_tries
        return None

    def _verify(self, p1: int, p2: int, data: bytes) -> bytes:
        if not data:
            if self.tries == 0:
                return _sw(0x6983)
            return _sw(0x9000 if self.verified else 0x63C0 | self.tries)
        refused = self._check_pin(data.decode())
        self.verified = refused is None
        return refused or _sw(0x9000)

    def _change(self, p1: int, p2: int, data: bytes) -> bytes:
        old, new = (data[:16].rstrip(b"\xff").decode(), data[16:].rstrip(b"\xff").decode())
        refused = self._check_pin(old)
        if refused:
            return refused
        if not 6 <= len(new) <= 16:
            return _sw(0x6A80)
        self.pin = new
        return _sw(0x9000)

    def _challenge(self, p1: int, p2: int, data: bytes) -> bytes:
        self.challenge = os.urandom(16)
        return _sw(0x9000, self.challenge)

    def _reset(self, p1: int, p2: int, data: bytes) -> bytes:
        if len(data) < 16 + 6:
            return _sw(0x6700)
        challenge, self.challenge = self.challenge, None
        if challenge is None:
            return _sw(0x6985)
        if self.admin == 0:
            return _sw(0x6983)
        card_key = derive_card_key(MK, self.serial)
        if data[:16] != compute_cryptogram(card_key, self.serial, challenge):
            self.admin -= 1
            return _sw(0x63C0 | self.admin)
        new_pin = data[16:].decode()
        if not (6 <= len(new_pin) <= 16 and new_pin.isalnum()):
            return _sw(0x6A80)
        self.pin, self.tries, self.admin = new_pin, self.max_tries, self.admin_max
        return _sw(0x9000, compute_receipt(card_key, self.serial, challenge))

    def _sign(self, p1: int, p2: int, data: bytes) -> bytes:
        if not self.verified:
            return _sw(0x6982)
        der = self.key.sign(data, ec.ECDSA(Prehashed(hashes.SHA256())))
        r, s = decode_dss_signature(der)
        return _sw(0x9000, r.to_bytes(32, "big") + s.to_bytes(32, "big"))
