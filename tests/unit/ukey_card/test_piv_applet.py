"""The PIV application beside the SZCA one, straight on the card OS (no reader):
SP 800-73-4 commands, the one shared PIN counter, and the ISO 7816-4 transport layer."""

from __future__ import annotations

import hashlib

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils

from emulator.virtual_ukey import protocol
from emulator.virtual_ukey.commands import (
    GET_CHALLENGE,
    GET_PIN_INFO,
    GET_SERIAL,
    SELECT_AID,
    reset_retry,
)
from emulator.virtual_ukey.commands import verify as szca_verify
from emulator.virtual_ukey.piv import objects
from emulator.virtual_ukey.piv.tlv import parse

SELECT_PIV = "00A4040009A00000030800001000"  # right-truncated, as OpenSC sends it
SELECT_PIV_FULL = "00A404000BA000000308000010000100"


def piv_pin(pin: str) -> str:
    return pin.encode().ljust(8, b"\xff").hex()


def piv_verify(pin: str) -> str:
    return "0020008008" + piv_pin(pin)


def get_data(tag: int, le: str = "00") -> str:
    tag_bytes = tag.to_bytes((tag.bit_length() + 7) // 8, "big")
    body = bytes([0x5C, len(tag_bytes)]) + tag_bytes
    return "00CB3FFF" + bytes([len(body)]).hex() + body.hex() + le


def sign_apdu(key_ref: int, digest: bytes, alg: int = 0x11) -> bytes:
    template = bytes([0x82, 0x00, 0x81, len(digest)]) + digest
    data = bytes([0x7C, len(template)]) + template
    return bytes([0x00, 0x87, alg, key_ref, len(data)]) + data + b"\x00"


def read_all(card, apdu: str | bytes) -> tuple[bytes, int]:
    """Send, then GET RESPONSE while the card says 61xx, as middleware does."""
    response = card.send(apdu)
    data = response.data
    while response.sw >> 8 == 0x61:
        response = card.send("00C00000" + f"{response.sw & 0xFF:02X}")
        data += response.data
    return data, response.sw


def certificate_of(state) -> x509.Certificate:
    return x509.load_der_x509_certificate(bytes.fromhex(state.cert_der))


def assert_der_signature(state, message: bytes, der: bytes) -> None:
    certificate_of(state).public_key().verify(
        der, hashlib.sha256(message).digest(), ec.ECDSA(utils.Prehashed(hashes.SHA256())))


@pytest.fixture
def piv(ukey_card_factory, open_driver):
    """A fresh card (PIN 123456, 6 tries) with the PIV application selected."""
    state = ukey_card_factory()
    card = open_driver(state.serial)
    assert card.sw(SELECT_PIV) == 0x9000
    card.state = state
    return card


# --- SELECT and the data objects -----------------------------------------------------------
def test_select_by_truncated_or_full_aid_answers_the_property_template(card) -> None:
    for apdu in (SELECT_PIV, SELECT_PIV_FULL):
        response = card.send(apdu)
        assert response.sw == 0x9000
        [(tag, body)] = parse(response.data)
        fields = dict(parse(body))
        assert tag == 0x61 and fields[0x4F] == bytes.fromhex("000010000100")
        assert dict(parse(fields[0x79]))[0x4F] == bytes.fromhex("A000000308")
        assert dict(parse(fields[0xAC]))[0x80] == b"\x11"  # ECC P-256
    assert card.send("00A4040C09A00000030800001000").data == b""  # P2 0C: no answer data


def test_select_mf_answers_its_fci_or_nothing(piv) -> None:
    response = piv.send("00A40000023F00")
    assert response.sw == 0x9000 and response.data.startswith(b"\x6F")
    assert piv.send("00A4000C023F00").data == b""
    assert piv.sw("00A4000C00") == 0x9000  # MF without data


def test_discovery_chuid_and_ccc(piv) -> None:
    discovery = piv.send(get_data(objects.TAG_DISCOVERY))
    [(tag, body)] = parse(discovery.data)
    assert tag == 0x7E and dict(parse(body)) == {
        0x4F: objects.PIV_AID, 0x5F2F: bytes([0x40, 0x00])}
    [(tag, body)] = parse(piv.send(get_data(objects.TAG_CHUID)).data)
    chuid = dict(parse(body))
    assert tag == 0x53 and chuid[0x34] == objects.card_guid(piv.state.serial)
    assert chuid[0x30][:3] == bytes.fromhex("D4E739")  # FASC-N of agency code 9999
    expiry = certificate_of(piv.state).not_valid_after_utc.strftime("%Y%m%d")
    assert chuid[0x35] == expiry.encode()
    [(tag, body)] = parse(piv.send(get_data(objects.TAG_CCC)).data)
    assert tag == 0x53 and dict(parse(body))[0xF1] == b"\x21"


@pytest.mark.parametrize("tag", [objects.TAG_CERT_9A, objects.TAG_CERT_9C])
def test_certificates_of_9a_and_9c_are_the_holders(piv, tag: int) -> None:
    data, sw = read_all(piv, get_data(tag))
    assert sw == 0x9000
    [(outer, body)] = parse(data)
    container = dict(parse(body))
    assert outer == 0x53 and container[0x71] == b"\x00"
    assert container[0x70] == bytes.fromhex(piv.state.cert_der)


@pytest.mark.parametrize(
    ("apdu", "sw"),
    [
        (get_data(objects.TAG_CERT_9D), 0x6A82),  # no key-management certificate
        (get_data(objects.TAG_CERT_9E), 0x6A82),  # no card-authentication certificate
        (get_data(0x5FC109), 0x6A82),  # printed information
        ("00CB3FFE055C037E0000", 0x6A86),
        ("00CB3FFF035C0000", 0x6A80),  # empty tag
        ("00CB3FFF045C037E00", 0x6A80),  # length runs past the end
        ("00CB3FFF0253027E", 0x6A80),  # not a tag list
    ],
)
def test_get_data_refusals(piv, apdu: str, sw: int) -> None:
    assert piv.sw(apdu) == sw


# --- GET RESPONSE, extended and chained APDUs -------------------------------------------------
def test_long_answers_come_in_get_response_chunks(piv) -> None:
    der = bytes.fromhex(piv.state.cert_der)
    first = piv.send(get_data(objects.TAG_CERT_9A, "08"))  # OpenSC asks 8 bytes for the length
    assert len(first.data) == 8 and first.sw >> 8 == 0x61
    whole, sw = read_all(piv, get_data(objects.TAG_CERT_9A))
    assert sw == 0x9000 and der in whole
    assert piv.sw("00C0000000") == 0x6985  # nothing waiting any more


def test_another_command_discards_the_waiting_answer(piv) -> None:
    assert piv.sw(get_data(objects.TAG_CERT_9A, "10")) >> 8 == 0x61
    assert piv.sw(get_data(objects.TAG_DISCOVERY)) == 0x9000
    assert piv.sw("00C0000000") == 0x6985


def test_extended_le_gets_the_whole_object_at_once(piv) -> None:
    response = piv.send("00CB3FFF0000055C035FC1050000")
    assert response.sw == 0x9000
    assert bytes.fromhex(piv.state.cert_der) in response.data


def test_chained_general_authenticate_signs(piv) -> None:
    digest = hashlib.sha256(b"chained").digest()
    assert piv.sw(piv_verify("123456")) == 0x9000
    apdu = sign_apdu(0x9A, digest)
    data = apdu[5:-1]
    assert piv.sw(bytes([0x10, 0x87, 0x11, 0x9A, 10]) + data[:10]) == 0x9000
    response = piv.send(bytes([0x00, 0x87, 0x11, 0x9A, len(data) - 10]) + data[10:] + b"\x00")
    assert response.sw == 0x9000
    [(_, body)] = parse(response.data)
    assert_der_signature(piv.state, b"chained", dict(parse(body))[0x82])


def test_a_chain_broken_by_another_command_is_refused(piv) -> None:
    assert piv.sw("10873FFF027C00") == 0x9000
    assert piv.sw(get_data(objects.TAG_DISCOVERY)) == 0x6883


# --- the one PIN -------------------------------------------------------------------------------
def test_verify_status_logout(piv) -> None:
    assert piv.sw("00200080") == 0x63C6
    assert piv.sw(piv_verify("123456")) == 0x9000
    assert piv.sw("00200080") == 0x9000
    assert piv.sw("0020FF80") == 0x9000  # logout
    assert piv.sw("00200080") == 0x63C6
    assert piv.sw(sign_apdu(0x9A, bytes(32))) == 0x6982


@pytest.mark.parametrize(
    ("apdu", "sw"),
    [
        ("0020008006313233343536", 0x6A80),  # not padded to 8 bytes
        ("0020008208" + "31" * 8, 0x6A86),  # no such reference
        ("00200180", 0x6A86),
        ("0020FF8001FF", 0x6700),
    ],
)
def test_verify_refusals_cost_no_try(piv, apdu: str, sw: int) -> None:
    assert piv.sw(apdu) == sw
    assert piv.sw("00200080") == 0x63C6


def test_one_counter_for_both_applications(piv) -> None:
    assert piv.sw(piv_verify("000000")) == 0x63C5
    assert piv.sw(SELECT_AID) == 0x9000
    assert piv.send(GET_PIN_INFO).data[0] == 5
    assert piv.sw(szca_verify("000001")) == 0x63C4
    assert piv.sw(SELECT_PIV) == 0x9000
    assert piv.sw("00200080") == 0x63C4
    for expected in (0x63C3, 0x63C2, 0x63C1, 0x6983):
        assert piv.sw(piv_verify("000000")) == expected
    assert piv.sw(piv_verify("123456")) == 0x6983  # blocked, even the right PIN
    assert piv.sw(SELECT_AID) == 0x9000
    assert piv.sw(szca_verify("123456")) == 0x6983


def test_the_cas_unlock_makes_the_pin_work_through_piv(piv, ukey_master_key) -> None:
    for _ in range(6):
        piv.sw(piv_verify("000000"))
    assert piv.sw("0024008010" + piv_pin("123456") + piv_pin("654321")) == 0x6983
    assert piv.sw("002C008010" + piv_pin("12345678") + piv_pin("654321")) == 0x6983  # no PUK
    assert piv.sw(SELECT_AID) == 0x9000
    challenge = piv.send(GET_CHALLENGE).data
    key = protocol.derive_unlock_key(ukey_master_key, piv.state.serial)
    cryptogram = protocol.unlock_cryptogram(key, piv.state.serial, challenge)
    unlocked = piv.send(reset_retry(cryptogram, "246810"))
    assert unlocked.sw == 0x9000
    assert unlocked.data == protocol.unlock_receipt(key, piv.state.serial, challenge)
    assert piv.sw(SELECT_PIV) == 0x9000
    assert piv.sw("00200080") == 0x63C6
    assert piv.sw(piv_verify("246810")) == 0x9000


def test_change_reference_data_changes_the_one_pin(piv) -> None:
    change = "0024008010" + piv_pin("123456") + piv_pin("135790")
    assert piv.sw(change) == 0x9000
    assert piv.sw("0024008010" + piv_pin("135790") + piv_pin("12")) == 0x6A80  # rule first
    assert piv.sw("00200080") == 0x9000  # change also verifies; the refusal cost no try
    assert piv.sw(SELECT_AID) == 0x9000
    assert piv.sw(szca_verify("123456")) == 0x63C5
    assert piv.sw(szca_verify("135790")) == 0x9000


def test_reset_retry_counter_refusals(piv) -> None:
    assert piv.sw("002C008210" + "31" * 16) == 0x6A86  # no such reference
    assert piv.sw("002C008008" + "31" * 8) == 0x6A80
    assert piv.sw("002C018010" + "31" * 16) == 0x6A86
    assert piv.sw("00200080") == 0x63C6


def test_reference_81_is_the_same_pin_in_the_ca_applications_format(piv) -> None:
    """PIV would call 81 its PUK; this card has none: 81 is the card's PIN (unpadded or
    FF-padded), so OpenSC's "PIV PUK" can never unblock anything."""
    assert piv.sw("0020008108" + piv_pin("000000")) == 0x63C5
    assert piv.sw("00200080") == 0x63C5
    assert piv.sw("0020008108" + piv_pin("123456")) == 0x9000
    assert piv.sw("00200080") == 0x9000


def test_both_applications_answer_whichever_was_selected_last(piv) -> None:
    """Middleware selecting PIV on a shared reader must not break a program that talks to
    the CA application (and the other way round)."""
    assert piv.send(GET_SERIAL).data == piv.state.serial.encode()  # PIV selected
    assert piv.sw(szca_verify("123456")) == 0x9000
    assert piv.sw(SELECT_AID) == 0x9000
    assert piv.sw(get_data(objects.TAG_DISCOVERY)) == 0x9000
    assert piv.sw(sign_apdu(0x9A, bytes(32))) == 0x9000


# --- GENERAL AUTHENTICATE --------------------------------------------------------------------
def test_9a_signs_after_one_verify(piv) -> None:
    assert piv.sw(piv_verify("123456")) == 0x9000
    for message in (b"first", b"second"):
        response = piv.send(sign_apdu(0x9A, hashlib.sha256(message).digest()))
        assert response.sw == 0x9000
        [(tag, body)] = parse(response.data)
        assert tag == 0x7C
        assert_der_signature(piv.state, message, dict(parse(body))[0x82])


def test_9c_wants_the_pin_before_every_signature(piv) -> None:
    digest = hashlib.sha256(b"contract").digest()
    assert piv.sw(piv_verify("123456")) == 0x9000
    assert piv.sw(sign_apdu(0x9C, digest)) == 0x9000
    assert piv.sw(sign_apdu(0x9C, digest)) == 0x6982  # PIN Always
    assert piv.sw(sign_apdu(0x9A, digest)) == 0x9000  # 9A still may
    assert piv.sw(piv_verify("123456")) == 0x9000
    assert piv.sw(sign_apdu(0x9C, digest)) == 0x9000


@pytest.mark.parametrize(
    ("apdu", "sw"),
    [
        (sign_apdu(0x9B, bytes(32)), 0x6A88),  # no administration key on the card
        (sign_apdu(0x9D, bytes(32)), 0x6A88),
        (sign_apdu(0x9A, bytes(32), alg=0x07), 0x6A86),  # RSA 2048 on an ECC key
        (sign_apdu(0x9A, bytes(33)), 0x6A80),
        (bytes.fromhex("0087119A047C028100"), 0x6A80),  # no 82 in the template
        (bytes.fromhex("0087119A04FF028100"), 0x6A80),  # not a 7C template
    ],
)
def test_general_authenticate_refusals(piv, apdu: bytes, sw: int) -> None:
    assert piv.sw(piv_verify("123456")) == 0x9000
    assert piv.sw(apdu) == sw


def test_signing_needs_the_pin(piv) -> None:
    assert piv.sw(sign_apdu(0x9A, bytes(32))) == 0x6982


def test_a_short_hash_is_left_padded(piv) -> None:
    assert piv.sw(piv_verify("123456")) == 0x9000
    digest = hashlib.sha1(b"old").digest()
    response = piv.send(sign_apdu(0x9A, digest))
    [(_, body)] = parse(response.data)
    certificate_of(piv.state).public_key().verify(
        dict(parse(body))[0x82], digest.rjust(32, b"\x00"),
        ec.ECDSA(utils.Prehashed(hashes.SHA256())))


# --- GET CHALLENGE ------------------------------------------------------------------------------
@pytest.mark.parametrize(("le", "length"), [("01", 1), ("08", 8), ("00", 256), ("000400", 1024)])
def test_get_challenge_any_iso_length(piv, le: str, length: int) -> None:
    response = piv.send("00840000" + le)
    assert response.sw == 0x9000 and len(response.data) == length


def test_get_challenge_without_le_is_refused(piv) -> None:
    assert piv.sw("00840000") == 0x6700


def test_session_survives_selecting_either_application(piv) -> None:
    assert piv.sw(piv_verify("123456")) == 0x9000
    assert piv.sw(SELECT_AID) == 0x9000
    assert piv.sw("00200081") == 0x9000
    assert piv.sw(SELECT_PIV) == 0x9000
    assert piv.sw("00200080") == 0x9000
    piv.card.reset()
    assert piv.sw("00200081") == 0x63C6  # reset: SZCA selected, not verified


def test_fasc_n_characters_have_odd_parity_and_the_lrc_checks_out() -> None:
    raw = objects.fasc_n("SZ2025000001")
    bits = bin(int.from_bytes(raw, "big"))[2:].rjust(200, "0")
    chars = [bits[i : i + 5] for i in range(0, 200, 5)]
    assert all(c.count("1") % 2 == 1 for c in chars)
    values = [int(c[:4][::-1], 2) for c in chars]
    assert values[0] == 0b1011 and values[-2] == 0b1111  # start and end sentinels
    lrc = 0
    for value in values[:-1]:
        lrc ^= value
    assert lrc == values[-1]
    digits = [str(v) for v in values if v < 10]
    assert "".join(digits).startswith("99999999000000" + "01" + "2025000001")
