"""APDUs of the SZCA U-KEY application (docs/unlock-protocol.md): immutable values,
one builder per command, and the status words the agent understands."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

AID = bytes.fromhex("F0535A4341554B455901")
CERT_SFI = 1
PIN_REF = 0x81
PIN_FIELD_LEN = 16  # CHANGE REFERENCE DATA pads each PIN to 16 bytes with FF
CHALLENGE_LEN = 16
READ_CHUNK = 0xF0   # certificate read size per READ BINARY


class SW(IntEnum):
    OK = 0x9000
    END_OF_FILE = 0x6282
    WRONG_LENGTH = 0x6700
    SECURITY_STATUS = 0x6982
    BLOCKED = 0x6983
    CONDITIONS_OF_USE = 0x6985
    WRONG_DATA = 0x6A80
    NOT_FOUND = 0x6A82
    WRONG_P1P2 = 0x6A86
    DATA_NOT_FOUND = 0x6A88
    WRONG_OFFSET = 0x6B00
    INS_NOT_SUPPORTED = 0x6D00
    CLA_NOT_SUPPORTED = 0x6E00


class GetDataTag(IntEnum):
    KEY_SERIAL = 0x0101
    PIN_INFO = 0x0102
    LAST_RESET = 0x0103


def sw_tries_left(sw: int) -> int | None:
    """``x`` of a ``63Cx`` status word, else ``None``."""
    return sw & 0x0F if sw & 0xFFF0 == 0x63C0 else None


@dataclass(frozen=True)
class CommandAPDU:
    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None  # 1..256; rendered as one byte (256 -> 00)

    def __post_init__(self) -> None:
        if len(self.data) > 255:
            raise ValueError("short APDUs carry at most 255 data bytes")
        if self.le is not None and not 1 <= self.le <= 256:
            raise ValueError("Le must be 1..256")

    def render(self) -> bytes:
        out = bytes([self.cla, self.ins, self.p1, self.p2])
        if self.data:
            out += bytes([len(self.data)]) + self.data
        if self.le is not None:
            out += bytes([self.le & 0xFF])
        return out

    def __repr__(self) -> str:  # never log PIN-bearing data fields
        return (f"CommandAPDU({self.cla:02X} {self.ins:02X} {self.p1:02X} {self.p2:02X}, "
                f"Lc={len(self.data)}, Le={self.le})")


@dataclass(frozen=True)
class ResponseAPDU:
    data: bytes
    sw: int

    @classmethod
    def parse(cls, raw: bytes) -> ResponseAPDU:
        if len(raw) < 2:
            raise ValueError("a response APDU has at least the two status bytes")
        return cls(bytes(raw[:-2]), (raw[-2] << 8) | raw[-1])

    def render(self) -> bytes:
        return self.data + self.sw.to_bytes(2, "big")

    @property
    def ok(self) -> bool:
        return self.sw == SW.OK


def select_aid(aid: bytes = AID) -> CommandAPDU:
    return CommandAPDU(0x00, 0xA4, 0x04, 0x00, aid, le=256)


def get_data(tag: GetDataTag) -> CommandAPDU:
    return CommandAPDU(0x00, 0xCA, tag >> 8, tag & 0xFF, le=256)


def read_binary(offset: int, length: int = READ_CHUNK, sfi: int | None = None) -> CommandAPDU:
    """With ``sfi`` (offset < 256) selects the EF by short file identifier; without it
    reads at a 15-bit offset in the EF selected last."""
    if sfi is not None:
        if not 0 <= offset < 256:
            raise ValueError("an SFI read takes an offset below 256")
        return CommandAPDU(0x00, 0xB0, 0x80 | sfi, offset, le=length)
    if not 0 <= offset < 0x8000:
        raise ValueError("READ BINARY offset is 15 bits")
    return CommandAPDU(0x00, 0xB0, offset >> 8, offset & 0xFF, le=length)


def _ascii_pin(pin: str) -> bytes:
    if not pin.isascii():
        raise ValueError("PIN must be ASCII")
    return pin.encode("ascii")


def verify(pin: str | None) -> CommandAPDU:
    """``pin=None`` is the status query (Lc = 0, no try used)."""
    return CommandAPDU(0x00, 0x20, 0x00, PIN_REF, b"" if pin is None else _ascii_pin(pin))


def _padded(pin: str) -> bytes:
    raw = _ascii_pin(pin)
    if len(raw) > PIN_FIELD_LEN:
        raise ValueError(f"PIN longer than {PIN_FIELD_LEN} characters")
    return raw.ljust(PIN_FIELD_LEN, b"\xff")


def change_reference_data(old_pin: str, new_pin: str) -> CommandAPDU:
    return CommandAPDU(0x00, 0x24, 0x00, PIN_REF, _padded(old_pin) + _padded(new_pin))


def get_challenge() -> CommandAPDU:
    return CommandAPDU(0x00, 0x84, 0x00, 0x00, le=CHALLENGE_LEN)


def reset_retry_counter(cryptogram: bytes, new_pin: str) -> CommandAPDU:
    if len(cryptogram) != 16:
        raise ValueError("the unlock cryptogram is 16 bytes")
    return CommandAPDU(0x00, 0x2C, 0x00, PIN_REF, cryptogram + _ascii_pin(new_pin))


def pso_compute_signature(digest: bytes) -> CommandAPDU:
    if len(digest) != 32:
        raise ValueError("PSO: COMPUTE DIGITAL SIGNATURE takes a SHA-256 hash")
    return CommandAPDU(0x00, 0x2A, 0x9E, 0x9A, digest, le=256)


def get_response(length: int) -> CommandAPDU:
    return CommandAPDU(0x00, 0xC0, 0x00, 0x00, le=length or 256)
