"""SELECT, GET DATA, READ BINARY and the generic status words, straight on the card OS."""

from __future__ import annotations

import pytest
from cryptography import x509

from emulator.virtual_ukey.card_os import ATR
from emulator.virtual_ukey.commands import GET_PIN_INFO, GET_SERIAL, SELECT_AID

AID = bytes.fromhex("F0535A4341554B455901")


def test_atr_announces_t1_and_checks_out(card) -> None:
    atr = card.card.getATR()
    assert atr == ATR and atr[0] == 0x3B
    check = 0
    for byte in atr[1:]:
        check ^= byte
    assert check == 0  # TCK makes the XOR of T0..TCK zero


def test_select_returns_fci_with_aid_and_limits(card) -> None:
    response = card.send(SELECT_AID)
    assert response.sw == 0x9000
    assert response.data == bytes([0x6F, 17, 0x84, 10]) + AID + bytes([0xA5, 3, 1, 6, 10])


@pytest.mark.parametrize(
    ("apdu", "sw"),
    [
        ("00A404000AF0535A4341554B455902", 0x6A82),  # other AID
        ("00A400000AF0535A4341554B455901", 0x6A87),  # an AID where a file id belongs
        ("00A40000022F00", 0x6A82),  # the card has no files besides the MF
        ("00A4040402F053", 0x6A86),  # P2 04 (FCP) is not offered for applications
        ("00A40400033F0000", 0x6A82),  # shorter than a RID
        ("80CA010100", 0x6E00),
        ("00EE000000", 0x6D00),
        ("00CA", 0x6700),
        ("00CA010305", 0x6A88),
        ("00840000", 0x6700),  # GET CHALLENGE without Le
        ("0084010010", 0x6A86),
        ("00B0000000", 0x6986),  # READ BINARY by offset before any EF was selected
        ("00B0820000", 0x6A82),  # SFI 2 does not exist
    ],
)
def test_status_words(card, apdu: str, sw: int) -> None:
    assert card.sw(apdu) == sw


def test_get_data_serial_and_pin_info(ukey_card_factory, open_driver) -> None:
    state = ukey_card_factory(max_tries=5, admin_max=7, pin_min=8, pin=("a1b2c3d4"))
    card = open_driver(state.serial)
    assert card.send(GET_SERIAL).data == state.serial.encode()
    assert card.send(GET_PIN_INFO).data == bytes([5, 5, 0, 7, 7, 8, 16])
    assert card.sw("00CA010104") == 0x6C00 | len(state.serial)  # Le too short: 6Cxx


def test_read_binary_returns_the_certificate(card) -> None:
    der = b""
    response = card.send("00B0810000")  # SFI 1, offset 0, Le 256
    while True:
        der += response.data
        if response.sw == 0x6282:
            break
        assert response.sw == 0x9000
        response = card.send(bytes([0x00, 0xB0, len(der) >> 8, len(der) & 0xFF, 0x00]))
    cert = x509.load_der_x509_certificate(der)
    assert cert.public_key().public_numbers().curve.name == "secp256r1"
    assert card.sw(bytes([0x00, 0xB0, len(der) >> 8, len(der) & 0xFF, 0x00])) == 0x6B00


def test_read_binary_by_sfi_with_small_le(card) -> None:
    response = card.send("00B0810410")
    assert response.sw == 0x9000 and len(response.data) == 16
    follow = card.send("00B0001410")  # offset 0x14 in the current EF
    assert follow.sw == 0x9000 and follow.data != response.data
