"""RESET RETRY COUNTER through pcscd with cryptograms computed from the doc."""

from __future__ import annotations

import hashlib
import os
import time

import pytest

from emulator.virtual_ukey.commands import (
    GET_CHALLENGE,
    GET_PIN_INFO,
    GET_SERIAL,
    reset_retry,
    sign,
    verify,
)

pytestmark = pytest.mark.pcsc


@pytest.fixture
def blocked(ukey_inserted_card, channel_to):
    card = ukey_inserted_card(challenge_lifetime_s=1.0)
    channel = channel_to(card.reader)
    for _ in range(6):
        channel.sw(verify("000000"))
    assert channel.sw(verify("123456")) == 0x6983
    return card, channel


def test_unlock_sets_new_pin_and_the_key_signs(blocked, authority, read_certificate,
                                                assert_signature) -> None:
    _card, channel = blocked
    serial = channel.transmit(GET_SERIAL).data.decode()
    challenge = channel.transmit(GET_CHALLENGE).data
    response = channel.transmit(reset_retry(authority.cryptogram(serial, challenge), "Unlock88"))
    assert response.sw == 0x9000
    assert response.data == authority.receipt(serial, challenge)
    assert channel.sw(verify("123456")) == 0x63C5
    assert channel.sw(verify("Unlock88")) == 0x9000
    signature = channel.transmit(sign(hashlib.sha256(b"contract").digest()))
    assert signature.sw == 0x9000
    assert_signature(read_certificate(channel), b"contract", signature.data)


def test_refused_cryptograms_are_counted(blocked, authority) -> None:
    card, channel = blocked
    serial = card.serial
    challenge = channel.transmit(GET_CHALLENGE).data
    good = reset_retry(authority.cryptogram(serial, challenge), "Unlock88")
    assert channel.sw(good) == 0x9000
    assert channel.sw(good) == 0x6985  # replayed: the challenge is gone
    channel.transmit(GET_CHALLENGE)
    assert channel.sw(good) == 0x63C9  # replayed against a new challenge
    stale = channel.transmit(GET_CHALLENGE).data
    time.sleep(1.2)  # this card's challenges live 1 s
    assert channel.sw(reset_retry(authority.cryptogram(serial, stale), "Other999")) == 0x6985
    channel.transmit(GET_CHALLENGE)
    other_card = reset_retry(authority.cryptogram("SZ2025999999", os.urandom(16)), "Other999")
    assert channel.sw(other_card) == 0x63C8
    channel.transmit(GET_CHALLENGE)
    wrong_challenge = reset_retry(authority.cryptogram(serial, os.urandom(16)), "Other999")
    assert channel.sw(wrong_challenge) == 0x63C7
    assert channel.transmit(GET_PIN_INFO).data[3:5] == bytes([7, 10])
    assert channel.sw(verify("Other999")) == 0x63C5  # none of the refused ones set a PIN


def test_admin_counter_blocks_for_good(ukey_inserted_card, channel_to, authority) -> None:
    card = ukey_inserted_card(admin_max=2)
    channel = channel_to(card.reader)
    sws = []
    for _ in range(2):
        channel.transmit(GET_CHALLENGE)
        sws.append(channel.sw(reset_retry(os.urandom(16), "Unlock88")))
    assert sws == [0x63C1, 0x6983]
    challenge = channel.transmit(GET_CHALLENGE).data
    assert channel.sw(reset_retry(authority.cryptogram(card.serial, challenge),
                                  "Unlock88")) == 0x6983
