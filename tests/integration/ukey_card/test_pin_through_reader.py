"""The card through real pcscd + vpcd + pyscard: PIN counting and persistence."""

from __future__ import annotations

import pytest

from emulator.virtual_ukey.commands import GET_PIN_INFO, GET_SERIAL, VERIFY_STATUS, verify

pytestmark = pytest.mark.pcsc


def test_wrong_pins_count_down_then_block(ukey_inserted_card, channel_to) -> None:
    card = ukey_inserted_card()
    channel = channel_to(card.reader)
    assert channel.transmit(GET_SERIAL).data == card.serial.encode()
    sws = [channel.sw(verify("000000")) for _ in range(6)]
    assert sws == [0x63C5, 0x63C4, 0x63C3, 0x63C2, 0x63C1, 0x6983]
    assert channel.sw(verify("123456")) == 0x6983


def test_blocked_card_stays_blocked_after_remove_and_insert(
    ukey_world, ukey_inserted_card, channel_to
) -> None:
    card = ukey_inserted_card(max_tries=3)
    channel = channel_to(card.reader)
    assert [channel.sw(verify("999999")) for _ in range(3)] == [0x63C2, 0x63C1, 0x6983]
    ukey_world.remove(card.serial)
    assert ukey_world.status(card.serial).reader is None
    reader = ukey_world.insert(card.serial)
    again = channel_to(reader)
    assert again.sw(verify("123456")) == 0x6983
    assert again.transmit(GET_PIN_INFO).data[:3] == bytes([0, 3, 1])


def test_session_state_is_per_connection_but_counters_are_not(
    ukey_inserted_card, channel_to
) -> None:
    card = ukey_inserted_card()
    channel = channel_to(card.reader)
    assert channel.sw(verify("654321")) == 0x63C5
    assert channel.sw(verify("123456")) == 0x9000
    assert channel.sw(VERIFY_STATUS) == 0x9000


def test_blocked_state_survives_a_world_restart(ukey_world, ukey_inserted_card, channel_to):
    # This test process's own world (each xdist worker has one): restarting its pcscd
    # touches no other test process.
    assert ukey_world.holders() == [ukey_world.holder]
    card = ukey_inserted_card(max_tries=2)
    channel = channel_to(card.reader)
    assert [channel.sw(verify("999999")) for _ in range(2)] == [0x63C1, 0x6983]
    channel.close()
    assert ukey_world.stop()
    assert not ukey_world.running()
    ukey_world.start()
    assert ukey_world.status(card.serial).reader is None  # cards are out after a restart
    reader = ukey_world.insert(card.serial)
    assert channel_to(reader).sw(verify("123456")) == 0x6983


def test_a_holder_that_leaves_takes_its_cards_but_not_the_world(
    ukey_world, ukey_home, ukey_card_factory
) -> None:
    from emulator.virtual_ukey.world import VirtualUKeyWorld

    other = VirtualUKeyWorld(ukey_home, holder="test-second-holder")
    other.start()
    card = ukey_card_factory()
    reader = other.insert(card.serial)
    assert ukey_world.readers()[reader] == card.serial
    assert other.stop() is False  # the session fixture still holds the world
    assert ukey_world.running()
    assert ukey_world.status(card.serial).reader is None
    assert ukey_world.readers()[reader] is None
