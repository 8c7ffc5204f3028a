from __future__ import annotations

import contextlib
import hashlib

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import cmac, hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils
from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from smartcard.Exceptions import SmartcardException

from emulator.virtual_ukey.commands import SELECT_AID
from emulator.virtual_ukey.reader import ReaderChannel


class Authority:
    """The service side of the unlock, written here from docs/unlock-protocol.md."""

    def __init__(self, master_key: bytes) -> None:
        self.master_key = master_key

    def key(self, serial: str) -> bytes:
        return HKDF(hashes.SHA256(), 16, b"SZCA-UKEY-UNLOCK-V1",
                    serial.encode()).derive(self.master_key)

    def _mac(self, label: bytes, serial: str, challenge: bytes) -> bytes:
        c = cmac.CMAC(algorithms.AES(self.key(serial)))
        c.update(label + serial.encode() + challenge)
        return c.finalize()

    def cryptogram(self, serial: str, challenge: bytes) -> bytes:
        return self._mac(b"SZCA-UNLOCK", serial, challenge)

    def receipt(self, serial: str, challenge: bytes) -> bytes:
        return self._mac(b"SZCA-UNLOCK-DONE", serial, challenge)


@pytest.fixture
def authority(ukey_master_key: bytes) -> Authority:
    return Authority(ukey_master_key)


@pytest.fixture
def channel_to():
    opened: list[ReaderChannel] = []

    def open_channel(reader: str) -> ReaderChannel:
        channel = ReaderChannel(reader)
        opened.append(channel)
        assert channel.sw(SELECT_AID) == 0x9000
        return channel

    yield open_channel
    for channel in opened:
        with contextlib.suppress(SmartcardException):  # the test may have removed the card
            channel.close()


@pytest.fixture
def read_certificate():
    return _read_certificate


@pytest.fixture
def assert_signature():
    return _assert_signature


def _read_certificate(channel: ReaderChannel) -> x509.Certificate:
    der = b""
    response = channel.transmit("00B0810000")
    while True:
        der += response.data
        if response.sw == 0x6282:
            return x509.load_der_x509_certificate(der)
        assert response.sw == 0x9000
        response = channel.transmit(bytes([0x00, 0xB0, len(der) >> 8, len(der) & 0xFF, 0x00]))


def _assert_signature(certificate: x509.Certificate, message: bytes, raw: bytes) -> None:
    r, s = int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
    certificate.public_key().verify(
        utils.encode_dss_signature(r, s), hashlib.sha256(message).digest(),
        ec.ECDSA(utils.Prehashed(hashes.SHA256())))
