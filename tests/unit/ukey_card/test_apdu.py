from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.virtual_ukey.apdu import CommandAPDU, ResponseAPDU, StatusWord, SwError


@given(
    ins=st.integers(0, 255),
    data=st.binary(min_size=0, max_size=255),
    le=st.one_of(st.none(), st.integers(1, 256)),
)
def test_short_apdu_round_trips(ins: int, data: bytes, le: int | None) -> None:
    apdu = CommandAPDU(0x00, ins, 0x12, 0x34, data, le)
    assert CommandAPDU.parse(apdu.render()) == apdu


@pytest.mark.parametrize(
    "raw", ["00A404", "00A4040005F053", "00A40400020102FFFF", "00A40400000005F053",
            "00A404000000", "00A4040000000001AA0102FF", "00A404000000000100"]
)
def test_malformed_apdus_are_wrong_length(raw: str) -> None:
    with pytest.raises(SwError) as err:
        CommandAPDU.parse(bytes.fromhex(raw))
    assert err.value.sw == StatusWord.WRONG_LENGTH


@given(
    ins=st.integers(0, 255),
    data=st.binary(min_size=0, max_size=2000),
    le=st.one_of(st.none(), st.integers(1, 65536)),
)
def test_extended_apdu_round_trips(ins: int, data: bytes, le: int | None) -> None:
    apdu = CommandAPDU(0x00, ins, 0x3F, 0xFF, data, le, extended=bool(data) or le is not None)
    assert CommandAPDU.parse(apdu.render()) == apdu


def test_extended_le_alone_and_with_data() -> None:
    assert CommandAPDU.parse(bytes.fromhex("00CB3FFF000000")).le == 65536
    apdu = CommandAPDU.parse(bytes.fromhex("00CB3FFF000003 5C017E 0100"))
    assert (apdu.data, apdu.le, apdu.extended) == (bytes.fromhex("5C017E"), 256, True)


def test_response_keeps_data_and_status_word() -> None:
    response = ResponseAPDU.parse(bytes.fromhex("0102 63C3"))
    assert (response.data, response.sw) == (b"\x01\x02", 0x63C3)
    assert response.render() == bytes.fromhex("010263C3")
    assert StatusWord.tries_left(5) == 0x63C5
