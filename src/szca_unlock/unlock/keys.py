"""Per-card unlock keys, unlock cryptograms and receipts (docs/unlock-protocol.md, "Keys and MACs").

Pure functions over bytes: the card emulator and the service derive the same values from
the same inputs, and the tests pin them with fixed vectors.
"""

from __future__ import annotations

import hmac

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.cmac import CMAC
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MASTER_KEY_LEN = 32
CARD_KEY_LEN = 16
CHALLENGE_LEN = 16
MAC_LEN = 16

KDF_SALT = b"SZCA-UKEY-UNLOCK-V1"
CRYPTOGRAM_LABEL = b"SZCA-UNLOCK"
RECEIPT_LABEL = b"SZCA-UNLOCK-DONE"


def _serial_bytes(key_serial: str) -> bytes:
    if not key_serial or not key_serial.isascii():
        raise ValueError("key serial must be non-empty ASCII")
    return key_serial.encode("ascii")


def derive_card_key(master_key: bytes, key_serial: str) -> bytes:
    """``HKDF-SHA256(IKM=MK, salt="SZCA-UKEY-UNLOCK-V1", info=serial, L=16)``."""
    if len(master_key) != MASTER_KEY_LEN:
        raise ValueError(f"master key must be {MASTER_KEY_LEN} bytes, got {len(master_key)}")
    hkdf = HKDF(algorithm=hashes.SHA256(), length=CARD_KEY_LEN, salt=KDF_SALT,
                info=_serial_bytes(key_serial))
    return hkdf.derive(master_key)


def _cmac(card_key: bytes, label: bytes, key_serial: str, challenge: bytes) -> bytes:
    if len(card_key) != CARD_KEY_LEN:
        raise ValueError(f"card key must be {CARD_KEY_LEN} bytes, got {len(card_key)}")
    if len(challenge) != CHALLENGE_LEN:
        raise ValueError(f"challenge must be {CHALLENGE_LEN} bytes, got {len(challenge)}")
    mac = CMAC(algorithms.AES128(card_key))
    mac.update(label + _serial_bytes(key_serial) + challenge)
    return mac.finalize()


def compute_cryptogram(card_key: bytes, key_serial: str, challenge: bytes) -> bytes:
    """``AES-128-CMAC(K, "SZCA-UNLOCK" ‖ serial ‖ challenge)``: what the card accepts."""
    return _cmac(card_key, CRYPTOGRAM_LABEL, key_serial, challenge)


def compute_receipt(card_key: bytes, key_serial: str, challenge: bytes) -> bytes:
    """``AES-128-CMAC(K, "SZCA-UNLOCK-DONE" ‖ serial ‖ challenge)``: what the card answers."""
    return _cmac(card_key, RECEIPT_LABEL, key_serial, challenge)


def verify_receipt(card_key: bytes, key_serial: str, challenge: bytes, receipt: bytes) -> bool:
    """True when ``receipt`` is the card's proof for this challenge (constant-time compare)."""
    expected = compute_receipt(card_key, key_serial, challenge)
    return hmac.compare_digest(expected, receipt)
