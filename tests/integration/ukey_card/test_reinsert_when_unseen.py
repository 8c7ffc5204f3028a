"""When pcscd does not report a freshly inserted card (seen rarely right after a removal
from the same reader), the world pulls it out and inserts it again instead of failing."""

from __future__ import annotations

import pytest

from emulator.virtual_ukey import pcsc
from emulator.virtual_ukey import world as world_module
from emulator.virtual_ukey.commands import GET_SERIAL

pytestmark = pytest.mark.pcsc


def test_an_unseen_insertion_is_retried_and_the_card_then_answers(
        ukey_world, ukey_card_factory, channel_to, monkeypatch: pytest.MonkeyPatch) -> None:
    real_wait = ukey_world.pcsc.wait_card_presence
    missed: list[str] = []

    def miss_first_insertion(reader: str, present: bool, timeout_s: float = 10.0) -> None:
        if present and not missed:
            missed.append(reader)
            raise pcsc.PcscError(f"pcscd did not see the card insertion on {reader!r}")
        real_wait(reader, present, timeout_s)

    monkeypatch.setattr(ukey_world.pcsc, "wait_card_presence", miss_first_insertion)
    card = ukey_card_factory()
    reader = ukey_world.insert(card.serial)
    try:
        assert missed, "the first insertion was not reported as missed"
        assert ukey_world.status(card.serial).reader == reader
        assert channel_to(reader).transmit(GET_SERIAL).data == card.serial.encode()
    finally:
        ukey_world.remove(card.serial)


def test_a_card_never_seen_fails_after_the_last_attempt(
        ukey_world, ukey_card_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[str] = []

    def never_seen(reader: str, present: bool, timeout_s: float = 10.0) -> None:
        if present:
            attempts.append(reader)
            raise pcsc.PcscError(f"pcscd did not see the card insertion on {reader!r}")
        real_wait(reader, present, timeout_s)

    real_wait = ukey_world.pcsc.wait_card_presence
    monkeypatch.setattr(ukey_world.pcsc, "wait_card_presence", never_seen)
    card = ukey_card_factory()
    with pytest.raises(pcsc.PcscError):
        ukey_world.insert(card.serial)
    assert len(attempts) == world_module.INSERT_ATTEMPTS
    assert ukey_world.status(card.serial).reader is None  # nothing left holding a reader
