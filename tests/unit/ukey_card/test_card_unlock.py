"""RESET RETRY COUNTER with cryptograms computed here from the doc, not from the card code."""

from __future__ import annotations

import os

import pytest
from cryptography.hazmat.primitives import cmac, hashes
from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from emulator.virtual_ukey.commands import (
    GET_CHALLENGE,
    GET_PIN_INFO,
    VERIFY_STATUS,
    reset_retry,
    verify,
)


def card_key(master_key: bytes, serial: str) -> bytes:
    return HKDF(hashes.SHA256(), 16, b"SZCA-UKEY-UNLOCK-V1", serial.encode()).derive(master_key)


def mac(key: bytes, label: bytes, serial: str, challenge: bytes) -> bytes:
    c = cmac.CMAC(algorithms.AES(key))
    c.update(label + serial.encode() + challenge)
    return c.finalize()


@pytest.fixture
def blocked(card):
    for _ in range(6):
        card.sw(verify("000000"))
    assert card.sw(VERIFY_STATUS) == 0x6983
    return card


def cryptogram_for(card, master_key: bytes, challenge: bytes, serial: str | None = None) -> bytes:
    serial = serial or card.card.state.serial
    return mac(card_key(master_key, serial), b"SZCA-UNLOCK", serial, challenge)


def test_valid_cryptogram_sets_the_new_pin_and_returns_the_receipt(blocked, ukey_master_key):
    serial = blocked.card.state.serial
    challenge = blocked.send(GET_CHALLENGE).data
    response = blocked.send(reset_retry(cryptogram_for(blocked, ukey_master_key, challenge),
                                        "newpin88"))
    assert response.sw == 0x9000
    key = card_key(ukey_master_key, serial)
    assert response.data == mac(key, b"SZCA-UNLOCK-DONE", serial, challenge)
    assert blocked.sw(verify("123456")) == 0x63C5
    assert blocked.sw(verify("newpin88")) == 0x9000


def test_replayed_cryptogram_is_refused(blocked, ukey_master_key):
    challenge = blocked.send(GET_CHALLENGE).data
    apdu = reset_retry(cryptogram_for(blocked, ukey_master_key, challenge), "newpin88")
    assert blocked.sw(apdu) == 0x9000
    assert blocked.sw(apdu) == 0x6985  # the challenge was used up
    blocked.send(GET_CHALLENGE)  # a fresh challenge does not revive the old cryptogram
    assert blocked.sw(apdu) == 0x63C9


def test_expired_challenge_is_refused(blocked, ukey_master_key, clock):
    challenge = blocked.send(GET_CHALLENGE).data
    clock.now += 121
    assert blocked.sw(reset_retry(cryptogram_for(blocked, ukey_master_key, challenge),
                                  "newpin88")) == 0x6985
    assert blocked.sw(verify("newpin88")) == 0x6983


def test_challenge_lifetime_is_per_card(ukey_card_factory, open_driver, ukey_master_key, clock):
    card = open_driver(ukey_card_factory(challenge_lifetime_s=5).serial)
    challenge = card.send(GET_CHALLENGE).data
    clock.now += 6
    assert card.sw(reset_retry(cryptogram_for(card, ukey_master_key, challenge),
                               "newpin88")) == 0x6985


def test_wrong_card_and_wrong_challenge_are_counted_until_blocked_for_good(
    blocked, ukey_master_key
):
    challenge = blocked.send(GET_CHALLENGE).data
    other_card = cryptogram_for(blocked, ukey_master_key, challenge, serial="SZ2025999999")
    assert blocked.sw(reset_retry(other_card, "newpin88")) == 0x63C9
    blocked.send(GET_CHALLENGE)
    wrong_challenge = cryptogram_for(blocked, ukey_master_key, os.urandom(16))
    assert blocked.sw(reset_retry(wrong_challenge, "newpin88")) == 0x63C8
    assert blocked.send(GET_PIN_INFO).data[3:5] == bytes([8, 10])
    sws = []
    for _ in range(8):
        blocked.send(GET_CHALLENGE)
        sws.append(blocked.sw(reset_retry(os.urandom(16), "newpin88")))
    assert sws == [0x63C7, 0x63C6, 0x63C5, 0x63C4, 0x63C3, 0x63C2, 0x63C1, 0x6983]
    good = blocked.send(GET_CHALLENGE).data
    assert blocked.sw(reset_retry(cryptogram_for(blocked, ukey_master_key, good),
                                  "newpin88")) == 0x6983  # blocked for good
    assert blocked.sw(verify("newpin88")) == 0x6983


def test_good_cryptogram_restores_the_admin_counter(blocked, ukey_master_key):
    blocked.send(GET_CHALLENGE)
    assert blocked.sw(reset_retry(os.urandom(16), "newpin88")) == 0x63C9
    challenge = blocked.send(GET_CHALLENGE).data
    assert blocked.sw(reset_retry(cryptogram_for(blocked, ukey_master_key, challenge),
                                  "newpin88")) == 0x9000
    assert blocked.send(GET_PIN_INFO).data == bytes([6, 6, 0, 10, 10, 6, 16])


def test_without_a_challenge_or_with_a_short_body(card, ukey_master_key):
    assert card.sw(reset_retry(os.urandom(16), "newpin88")) == 0x6985
    card.send(GET_CHALLENGE)
    assert card.sw(reset_retry(os.urandom(16), "12345")) == 0x6700


def test_only_a_16_byte_challenge_serves_the_unlock(blocked, ukey_master_key):
    """GET CHALLENGE takes any Le now (ISO 7816-4); the unlock still wants 16 bytes."""
    short = blocked.send("0084000008").data
    assert len(short) == 8
    padded = short.ljust(16, b"\x00")
    apdu = reset_retry(cryptogram_for(blocked, ukey_master_key, padded), "newpin88")
    assert blocked.sw(apdu) == 0x6985
    assert blocked.send(GET_PIN_INFO).data[3] == 10  # no admin try used


def test_new_pin_outside_the_rule_is_refused_after_the_cryptogram(blocked, ukey_master_key):
    challenge = blocked.send(GET_CHALLENGE).data
    apdu = reset_retry(cryptogram_for(blocked, ukey_master_key, challenge), "12345678901234567")
    assert blocked.sw(apdu) == 0x6A80
    assert blocked.sw(verify("12345678901234567")) == 0x6983
