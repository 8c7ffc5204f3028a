"""Derivation, cryptogram and receipt: checked against independent implementations
(stdlib HMAC for RFC 5869 HKDF, pycryptodome for AES-CMAC) and pinned vectors."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from Crypto.Cipher import AES
from Crypto.Hash import CMAC

from szca_unlock.unlock import compute_cryptogram, compute_receipt, derive_card_key, verify_receipt

MK = bytes(range(32))
SERIAL = "SZ2025000001"
CHALLENGE = bytes(16)


def _hkdf_reference(ikm: bytes, salt: bytes, info: bytes, length: int) -> bytes:
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    okm, block, counter = b"", b"", 1
    while len(okm) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        okm += block
        counter += 1
    return okm[:length]


def _cmac_reference(key: bytes, msg: bytes) -> bytes:
    return CMAC.new(key, msg=msg, ciphermod=AES).digest()


def test_card_key_is_rfc5869_hkdf_with_the_documented_salt_and_info() -> None:
    expected = _hkdf_reference(MK, b"SZCA-UKEY-UNLOCK-V1", SERIAL.encode(), 16)
    assert derive_card_key(MK, SERIAL) == expected


def test_pinned_vectors_for_the_card_emulator_to_share() -> None:
    key = derive_card_key(MK, SERIAL)
    assert key.hex() == "17b696da7a4f10fd5724cec5870bfc18"
    assert compute_cryptogram(key, SERIAL, CHALLENGE).hex() == "8c7f637e72cec9ed16aac395d20297c4"
    assert compute_receipt(key, SERIAL, CHALLENGE).hex() == "ba5d681443f19b8543aaaa997a5031b7"


def test_cryptogram_and_receipt_are_aes_cmac_over_label_serial_challenge() -> None:
    key = derive_card_key(MK, SERIAL)
    challenge = bytes.fromhex("00112233445566778899aabbccddeeff")
    assert compute_cryptogram(key, SERIAL, challenge) == _cmac_reference(
        key, b"SZCA-UNLOCK" + SERIAL.encode() + challenge)
    assert compute_receipt(key, SERIAL, challenge) == _cmac_reference(
        key, b"SZCA-UNLOCK-DONE" + SERIAL.encode() + challenge)


def test_each_card_gets_its_own_key() -> None:
    assert derive_card_key(MK, "SZ2025000001") != derive_card_key(MK, "SZ2025000002")
    assert derive_card_key(MK, SERIAL) != derive_card_key(bytes(32), SERIAL)


def test_verify_receipt_accepts_only_the_right_card_and_challenge() -> None:
    key = derive_card_key(MK, SERIAL)
    receipt = compute_receipt(key, SERIAL, CHALLENGE)
    assert verify_receipt(key, SERIAL, CHALLENGE, receipt)
    assert not verify_receipt(key, SERIAL, b"\x01" * 16, receipt)
    assert not verify_receipt(key, "SZ2025000002", CHALLENGE, receipt)
    assert not verify_receipt(key, SERIAL, CHALLENGE, compute_cryptogram(key, SERIAL, CHALLENGE))
    assert not verify_receipt(key, SERIAL, CHALLENGE, receipt[:15])


@pytest.mark.parametrize(("mk", "serial", "challenge"), [
    (bytes(31), SERIAL, CHALLENGE),
    (MK, "", CHALLENGE),
    (MK, "序列号", CHALLENGE),
])
def test_malformed_inputs_are_rejected(mk: bytes, serial: str, challenge: bytes) -> None:
    with pytest.raises(ValueError):
        compute_cryptogram(derive_card_key(mk, serial), serial, challenge)


def test_challenge_must_be_16_bytes() -> None:
    with pytest.raises(ValueError):
        compute_cryptogram(derive_card_key(MK, SERIAL), SERIAL, bytes(8))
