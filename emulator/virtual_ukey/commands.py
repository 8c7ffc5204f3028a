"""Command APDUs of the card application (docs/unlock-protocol.md), for callers."""

from __future__ import annotations

SELECT_AID = "00A404000AF0535A4341554B45590100"


def verify(pin: str) -> bytes:
    data = pin.encode()
    return bytes([0x00, 0x20, 0x00, 0x81, len(data)]) + data


def change(old: str, new: str) -> bytes:
    data = old.encode().ljust(16, b"\xff") + new.encode().ljust(16, b"\xff")
    return bytes([0x00, 0x24, 0x00, 0x81, len(data)]) + data


def reset_retry(cryptogram: bytes, new_pin: str) -> bytes:
    data = cryptogram + new_pin.encode()
    return bytes([0x00, 0x2C, 0x00, 0x81, len(data)]) + data


def sign(digest: bytes) -> bytes:
    return bytes([0x00, 0x2A, 0x9E, 0x9A, len(digest)]) + digest + b"\x00"


GET_CHALLENGE = "0084000010"
GET_SERIAL = "00CA010100"
GET_PIN_INFO = "00CA010200"
VERIFY_STATUS = "00200081"
