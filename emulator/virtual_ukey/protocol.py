"""Constants of the card application and its unlock MACs (docs/unlock-protocol.md)."""

from __future__ import annotations

from cryptography.hazmat.primitives import cmac, hashes
from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

AID = bytes.fromhex("F0535A4341554B455901")
APP_VERSION = 1
CLA = 0x00
PIN_REF = 0x81  # P2 of VERIFY / CHANGE REFERENCE DATA / RESET RETRY COUNTER
CERT_SFI = 1
CHALLENGE_LEN = 16
CRYPTOGRAM_LEN = 16
HASH_LEN = 32
PIN_PAD = 0xFF
PIN_FIELD = 16  # CHANGE REFERENCE DATA pads each PIN to 16 bytes

TAG_SERIAL = 0x0101
TAG_PIN_INFO = 0x0102
TAG_LAST_RESET = 0x0103  # challenge ‖ receipt of the last successful RESET RETRY COUNTER

_KDF_SALT = b"SZCA-UKEY-UNLOCK-V1"
_CRYPTOGRAM_LABEL = b"SZCA-UNLOCK"
_RECEIPT_LABEL = b"SZCA-UNLOCK-DONE"


def derive_unlock_key(master_key: bytes, serial: str) -> bytes:
    """K = HKDF-SHA256(MK, salt, info = serial, L = 16): the per-card unlock key."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=16, salt=_KDF_SALT, info=serial.encode("ascii"))
    return hkdf.derive(master_key)


def _cmac(key: bytes, message: bytes) -> bytes:
    mac = cmac.CMAC(algorithms.AES(key))
    mac.update(message)
    return mac.finalize()


def unlock_cryptogram(unlock_key: bytes, serial: str, challenge: bytes) -> bytes:
    """What the service returns and RESET RETRY COUNTER expects."""
    return _cmac(unlock_key, _CRYPTOGRAM_LABEL + serial.encode("ascii") + challenge)


def unlock_receipt(unlock_key: bytes, serial: str, challenge: bytes) -> bytes:
    """What the card answers after a successful unlock, for the service to confirm."""
    return _cmac(unlock_key, _RECEIPT_LABEL + serial.encode("ascii") + challenge)
