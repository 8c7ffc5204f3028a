"""BER-TLV as SP 800-73-4 uses it: tags of 1-3 bytes, definite lengths (81 xx, 82 xx xx)."""

from __future__ import annotations

from emulator.virtual_ukey.apdu import StatusWord, SwError


def encode_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    if length <= 0xFF:
        return bytes([0x81, length])
    return bytes([0x82]) + length.to_bytes(2, "big")


def tlv(tag: int, value: bytes) -> bytes:
    """One data object: ``tag`` as its big-endian bytes (``0x5FC105`` is three bytes)."""
    tag_bytes = tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")
    return tag_bytes + encode_length(len(value)) + value


def _read_tag(data: bytes, pos: int) -> tuple[int, int]:
    first = data[pos]
    tag, pos = first, pos + 1
    if first & 0x1F == 0x1F:  # multi-byte tag: continue while bit 8 is set
        while True:
            if pos >= len(data):
                raise ValueError("truncated tag")
            tag = tag << 8 | data[pos]
            pos += 1
            if not data[pos - 1] & 0x80:
                break
    return tag, pos


def _read_length(data: bytes, pos: int) -> tuple[int, int]:
    if pos >= len(data):
        raise ValueError("missing length")
    first = data[pos]
    if first < 0x80:
        return first, pos + 1
    count = first & 0x7F
    if count not in (1, 2, 3) or pos + 1 + count > len(data):
        raise ValueError("unsupported length encoding")
    return int.from_bytes(data[pos + 1 : pos + 1 + count], "big"), pos + 1 + count


def parse(data: bytes) -> list[tuple[int, bytes]]:
    """The data objects of ``data`` in order; malformed input raises ``ValueError``."""
    objects: list[tuple[int, bytes]] = []
    pos = 0
    while pos < len(data):
        tag, pos = _read_tag(data, pos)
        length, pos = _read_length(data, pos)
        if pos + length > len(data):
            raise ValueError("value runs past the end")
        objects.append((tag, data[pos : pos + length]))
        pos += length
    return objects


def parse_or_6a80(data: bytes) -> list[tuple[int, bytes]]:
    """As ``parse``, but a malformed command data field answers ``6A80``."""
    try:
        return parse(data)
    except (ValueError, IndexError):
        raise SwError(StatusWord.WRONG_DATA, "malformed BER-TLV") from None
