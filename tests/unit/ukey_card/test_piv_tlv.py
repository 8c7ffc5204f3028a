"""BER-TLV of the PIV data objects: tags of 1-3 bytes, lengths up to 82 xx xx."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.virtual_ukey.piv.tlv import encode_length, parse, tlv

TAGS = st.sampled_from([0x53, 0x7C, 0x7E, 0x5C, 0x5F2F, 0x5FC105, 0x7F49])


@given(st.lists(st.tuples(TAGS, st.binary(max_size=600)), max_size=4))
def test_objects_round_trip(objects: list[tuple[int, bytes]]) -> None:
    assert parse(b"".join(tlv(tag, value) for tag, value in objects)) == objects


@pytest.mark.parametrize(("length", "encoded"), [
    (0, "00"), (127, "7F"), (128, "8180"), (255, "81FF"), (256, "820100"), (700, "8202BC")])
def test_definite_lengths(length: int, encoded: str) -> None:
    assert encode_length(length) == bytes.fromhex(encoded)


@pytest.mark.parametrize("raw", ["53", "5303AABB", "5F", "5FC1", "538401020304", "5382"])
def test_malformed_input_is_refused(raw: str) -> None:
    with pytest.raises((ValueError, IndexError)):
        parse(bytes.fromhex(raw))
