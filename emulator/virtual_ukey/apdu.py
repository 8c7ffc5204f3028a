"""ISO 7816-4 short APDUs as immutable values, and status words as an IntEnum."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class StatusWord(IntEnum):
    """The status words the card answers (docs/unlock-protocol.md)."""

    OK = 0x9000
    END_OF_FILE = 0x6282  # fewer bytes than Le remained
    WRONG_LENGTH = 0x6700
    SECURITY_NOT_SATISFIED = 0x6982
    AUTH_METHOD_BLOCKED = 0x6983
    CONDITIONS_NOT_SATISFIED = 0x6985
    NO_CURRENT_EF = 0x6986
    WRONG_DATA = 0x6A80
    FILE_NOT_FOUND = 0x6A82
    WRONG_P1P2 = 0x6A86
    DATA_NOT_FOUND = 0x6A88
    OFFSET_BEYOND_END = 0x6B00
    INS_NOT_SUPPORTED = 0x6D00
    CLA_NOT_SUPPORTED = 0x6E00

    @staticmethod
    def tries_left(count: int) -> int:
        """``63Cx``: a wrong PIN or cryptogram, ``x`` tries left (0..15)."""
        return 0x63C0 | min(count, 15)

    @staticmethod
    def wrong_le(correct: int) -> int:
        """``6Cxx``: Le was wrong, ``xx`` is the length available."""
        return 0x6C00 | (correct & 0xFF)


class SwError(Exception):
    """Raised by a command handler; the card OS turns it into a response in one place."""

    def __init__(self, sw: int, message: str = "") -> None:
        super().__init__(f"{sw:04X} {message}".strip())
        self.sw = sw
        self.message = message


@dataclass(frozen=True)
class CommandAPDU:
    """A short command APDU. ``le`` is None when absent; Le byte ``00`` means 256."""

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None

    @classmethod
    def parse(cls, raw: bytes) -> CommandAPDU:
        """Parse the four ISO cases of a short APDU; anything else is ``6700``."""
        if len(raw) < 4:
            raise SwError(StatusWord.WRONG_LENGTH, "APDU shorter than 4 bytes")
        cla, ins, p1, p2 = raw[0], raw[1], raw[2], raw[3]
        body = raw[4:]
        if not body:
            return cls(cla, ins, p1, p2)
        if len(body) == 1:
            return cls(cla, ins, p1, p2, le=body[0] or 256)
        lc = body[0]
        if lc == 0:  # extended length: not supported by this card
            raise SwError(StatusWord.WRONG_LENGTH, "extended APDUs are not supported")
        data = bytes(body[1 : 1 + lc])
        rest = body[1 + lc :]
        if len(data) != lc or len(rest) > 1:
            raise SwError(StatusWord.WRONG_LENGTH, "Lc does not match the data")
        le = (rest[0] or 256) if rest else None
        return cls(cla, ins, p1, p2, data, le)

    def render(self) -> bytes:
        out = bytes([self.cla, self.ins, self.p1, self.p2])
        if self.data:
            out += bytes([len(self.data)]) + self.data
        if self.le is not None:
            out += bytes([self.le & 0xFF])
        return out


@dataclass(frozen=True)
class ResponseAPDU:
    """Response data followed by SW1 SW2."""

    sw: int
    data: bytes = b""

    @classmethod
    def parse(cls, raw: bytes) -> ResponseAPDU:
        if len(raw) < 2:
            raise ValueError("a response APDU has at least SW1 SW2")
        return cls(int.from_bytes(raw[-2:], "big"), bytes(raw[:-2]))

    def render(self) -> bytes:
        return self.data + self.sw.to_bytes(2, "big")
