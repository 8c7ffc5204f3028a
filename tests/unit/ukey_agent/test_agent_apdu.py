"""Command APDUs are byte-for-byte those of docs/unlock-protocol.md."""

from __future__ import annotations

import pytest

from szca_unlock.ukey import apdu
from szca_unlock.ukey.apdu import GetDataTag, ResponseAPDU, sw_tries_left

H = bytes.fromhex


@pytest.mark.parametrize(("command", "expected"), [
    (apdu.select_aid(), H("00A404000AF0535A4341554B45590100")),
    (apdu.get_data(GetDataTag.KEY_SERIAL), H("00CA010100")),
    (apdu.get_data(GetDataTag.PIN_INFO), H("00CA010200")),
    (apdu.read_binary(0, sfi=1), H("00B08100F0")),
    (apdu.read_binary(0x01E0, 0x20), H("00B001E020")),
    (apdu.verify("123456"), H("0020008106313233343536")),
    (apdu.verify(None), H("00200081")),
    (apdu.get_challenge(), H("0084000010")),
    (apdu.pso_compute_signature(bytes(32)), H("002A9E9A20") + bytes(32) + H("00")),
])
def test_command_bytes(command: apdu.CommandAPDU, expected: bytes) -> None:
    assert command.render() == expected


def test_change_reference_data_pads_both_pins_to_16_with_ff() -> None:
    raw = apdu.change_reference_data("246810", "abc123").render()
    assert raw[:5] == H("0024008120")
    assert raw[5:21] == b"246810" + b"\xff" * 10
    assert raw[21:] == b"abc123" + b"\xff" * 10


def test_reset_retry_counter_is_cryptogram_then_unpadded_pin_without_le() -> None:
    raw = apdu.reset_retry_counter(bytes(range(16)), "Abc12345").render()
    assert raw == H("002C008118") + bytes(range(16)) + b"Abc12345"


@pytest.mark.parametrize("build", [
    lambda: apdu.reset_retry_counter(bytes(15), "123456"),
    lambda: apdu.pso_compute_signature(bytes(20)),
    lambda: apdu.read_binary(256, sfi=1),
    lambda: apdu.read_binary(0x8000),
    lambda: apdu.change_reference_data("1" * 17, "123456"),
    lambda: apdu.verify("密码"),
])
def test_malformed_commands_are_refused_before_reaching_the_card(build) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        build()


def test_repr_never_shows_the_pin() -> None:
    assert "246810" not in repr(apdu.verify("246810"))
    assert "3234" not in repr(apdu.verify("246810"))


def test_response_parsing() -> None:
    resp = ResponseAPDU.parse(H("01029000"))
    assert (resp.data, resp.sw, resp.ok) == (H("0102"), 0x9000, True)
    assert ResponseAPDU.parse(H("63C3")).render() == H("63C3")
    assert sw_tries_left(0x63C3) == 3 and sw_tries_left(0x6983) is None
    with pytest.raises(ValueError):
        ResponseAPDU.parse(b"\x90")
