"""VERIFY, CHANGE REFERENCE DATA, signing and persistence of the counters."""

from __future__ import annotations

import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils

from emulator.virtual_ukey.commands import GET_PIN_INFO, VERIFY_STATUS, change, sign, verify


def test_wrong_pins_count_down_then_block(card) -> None:
    assert [card.sw(verify("000000")) for _ in range(6)] == [
        0x63C5, 0x63C4, 0x63C3, 0x63C2, 0x63C1, 0x6983]
    assert card.sw(verify("123456")) == 0x6983  # the right PIN is refused once blocked
    assert card.sw(VERIFY_STATUS) == 0x6983
    assert card.send(GET_PIN_INFO).data[:3] == bytes([0, 6, 1])


def test_correct_pin_restores_the_counter(card) -> None:
    assert card.sw(verify("654321")) == 0x63C5
    assert card.sw(VERIFY_STATUS) == 0x63C5  # status query uses no try
    assert card.sw(verify("123456")) == 0x9000
    assert card.sw(VERIFY_STATUS) == 0x9000
    assert card.send(GET_PIN_INFO).data[0] == 6


def test_verification_is_forgotten_at_power_down(card) -> None:
    assert card.sw(verify("123456")) == 0x9000
    card.card.powerDown()
    card.card.powerUp()
    assert card.sw(VERIFY_STATUS) == 0x63C6
    assert card.sw(sign(bytes(32))) == 0x6982


def test_retry_limit_is_per_card(ukey_card_factory, open_driver) -> None:
    card = open_driver(ukey_card_factory(max_tries=3).serial)
    assert [card.sw(verify("999999")) for _ in range(3)] == [0x63C2, 0x63C1, 0x6983]


def test_blocked_state_survives_reopening_the_card(card, open_driver) -> None:
    for _ in range(6):
        card.sw(verify("111111"))
    again = open_driver(card.card.state.serial)
    assert again.sw(verify("123456")) == 0x6983


def test_state_on_disk_never_holds_the_pin(card, ukey_home) -> None:
    card.sw(change("123456", "Secret42"))
    state_file = ukey_home / "cards" / card.card.state.serial / "state.json"
    text = state_file.read_text()
    assert "Secret42" not in text and b"Secret42".hex() not in text
    assert "scrypt$" in text


def test_change_pin(card) -> None:
    assert card.sw(change("123456", "abc12345")) == 0x9000
    assert card.sw(verify("123456")) == 0x63C5
    assert card.sw(verify("abc12345")) == 0x9000


def test_change_pin_with_wrong_old_pin_counts(card) -> None:
    assert card.sw(change("000000", "abc12345")) == 0x63C5
    assert card.sw(verify("123456")) == 0x9000


def test_change_pin_refuses_a_new_pin_outside_the_rule_without_using_a_try(card) -> None:
    assert card.sw(change("123456", "12345")) == 0x6A80  # too short
    assert card.sw(change("123456", "12345!")) == 0x6A80  # not letters/digits
    assert card.sw(VERIFY_STATUS) == 0x63C6
    assert card.sw("002400811031323334353600") == 0x6700


def test_wrong_p1p2_on_verify(card) -> None:
    assert card.sw("0020008206313233343536") == 0x6A86


def test_signing_needs_verify_and_verifies_against_the_certificate(card) -> None:
    digest = hashlib.sha256(b"contract").digest()
    assert card.sw(sign(digest)) == 0x6982
    assert card.sw(verify("123456")) == 0x9000
    assert card.sw(sign(digest[:20])) == 0x6700
    response = card.send(sign(digest))
    assert response.sw == 0x9000 and len(response.data) == 64
    der = bytes.fromhex(card.card.state.cert_der)
    public_key = x509.load_der_x509_certificate(der).public_key()
    r = int.from_bytes(response.data[:32], "big")
    s = int.from_bytes(response.data[32:], "big")
    public_key.verify(utils.encode_dss_signature(r, s), digest,
                      ec.ECDSA(utils.Prehashed(hashes.SHA256())))


def test_select_keeps_the_verification_of_the_session(card) -> None:
    assert card.sw(verify("123456")) == 0x9000
    assert card.sw("00A404000AF0535A4341554B45590100") == 0x9000
    assert card.sw(sign(bytes(32))) == 0x9000


def test_a_pin_longer_than_the_rule_is_a_wrong_try(card) -> None:
    assert card.sw(verify("1234567890abcdefXYZ")) == 0x63C5


def test_a_changed_pin_is_the_pin_after_the_card_is_reopened(card, open_driver) -> None:
    assert card.sw(change("123456", "abc12345")) == 0x9000
    again = open_driver(card.card.state.serial)
    assert again.sw(verify("abc12345")) == 0x9000
    assert again.sw(verify("123456")) == 0x63C5


def test_a_new_pin_longer_than_the_cards_own_maximum_is_refused(ukey_card_factory,
                                                                open_driver) -> None:
    card = open_driver(ukey_card_factory(pin_max=8).serial)
    assert card.sw(change("123456", "abcd12345")) == 0x6A80  # 9 > 8, no try used
    assert card.sw(change("123456", "abcd1234")) == 0x9000
