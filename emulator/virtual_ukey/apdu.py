"""ISO 7816-4 command APDUs (short and extended) as immutable values, status words as an
IntEnum."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class StatusWord(IntEnum):
    """The status words the card answers (docs/unlock-protocol.md)."""

    OK = 0x9000
    MORE_DATA = 0x6100  # 61xx: xx more bytes wait for GET RESPONSE (00 = 256 or more)
    END_OF_FILE = 0x6282  # fewer bytes than Le remained
    WRONG_LENGTH = 0x6700
    SECURITY_NOT_SATISFIED = 0x6982
    AUTH_METHOD_BLOCKED = 0x6983
    CONDITIONS_NOT_SATISFIED = 0x6985
    NO_CURRENT_EF = 0x6986
    LAST_OF_CHAIN_EXPECTED = 0x6883
    WRONG_DATA = 0x6A80
    FILE_NOT_FOUND = 0x6A82
    WRONG_P1P2 = 0x6A86
    LC_INCONSISTENT_WITH_P1P2 = 0x6A87
    DATA_NOT_FOUND = 0x6A88
    OFFSET_BEYOND_END = 0x6B00
    INS_NOT_SUPPORTED = 0x6D00
    CLA_NOT_SUPPORTED = 0x6E00

    @staticmethod
    def tries_left(count: int) -> int:
        """``63Cx``: a wrong PIN or cryptogram, ``x`` tries left (0..15)."""
        return 0x63C0 | min(count, 15)

    @staticmethod
    def more_data(remaining: int) -> int:
        """``61xx``: ``remaining`` bytes are waiting (``xx`` = 00 for 256 or more)."""
        return 0x6100 | (remaining if remaining < 256 else 0)

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
    """A command APDU. ``le`` is None when absent; a short Le byte ``00`` means 256, an
    extended Le ``0000`` 65536. ``extended`` says which length encoding was used."""

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None
    extended: bool = False

    @classmethod
    def parse(cls, raw: bytes) -> CommandAPDU:
        """Parse the four ISO 7816-3 cases, short or extended; anything else is ``6700``."""
        if len(raw) < 4:
            raise SwError(StatusWord.WRONG_LENGTH, "APDU shorter than 4 bytes")
        cla, ins, p1, p2 = raw[0], raw[1], raw[2], raw[3]
        body = raw[4:]
        if not body:
            return cls(cla, ins, p1, p2)
        if len(body) == 1:
            return cls(cla, ins, p1, p2, le=body[0] or 256)
        if body[0] != 0:
            return cls._short(cla, ins, p1, p2, body)
        if len(body) == 3:  # case 2E: 00 Le1 Le2
            return cls(cla, ins, p1, p2, le=int.from_bytes(body[1:3], "big") or 65536,
                       extended=True)
        lc = int.from_bytes(body[1:3], "big")
        data, rest = bytes(body[3 : 3 + lc]), body[3 + lc :]
        if lc == 0 or len(data) != lc or len(rest) not in (0, 2):
            raise SwError(StatusWord.WRONG_LENGTH, "extended Lc does not match the data")
        le = (int.from_bytes(rest, "big") or 65536) if rest else None
        return cls(cla, ins, p1, p2, data, le, extended=True)

    @classmethod
    def _short(cls, cla: int, ins: int, p1: int, p2: int, body: bytes) -> CommandAPDU:
        lc = body[0]
        data = bytes(body[1 : 1 + lc])
        rest = body[1 + lc :]
        if len(data) != lc or len(rest) > 1:
            raise SwError(StatusWord.WRONG_LENGTH, "Lc does not match the data")
        le = (rest[0] or 256) if rest else None
        return cls(cla, ins, p1, p2, data, le)

    def render(self) -> bytes:
        out = bytes([self.cla, self.ins, self.p1, self.p2])
        if self.extended:
            if self.data:
                out += b"\x00" + len(self.data).to_bytes(2, "big") + self.data
            if self.le is not None:
                le = (self.le & 0xFFFF).to_bytes(2, "big")
                out += le if self.data else b"\x00" + le
            return out
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
