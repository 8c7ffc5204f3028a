"""Where the cards of a home live: the list the world shows (``szca-emulator cards``)."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from emulator.virtual_ukey.pin import PinHash
from emulator.virtual_ukey.pin import PinPolicy as CardPinPolicy
from emulator.virtual_ukey.state import CardRepository


def test_a_home_without_cards_lists_none(tmp_path: Path) -> None:
    assert CardRepository(tmp_path).serials() == []


def test_the_cards_of_a_home_are_listed_by_serial(ukey_card_factory, ukey_home: Path) -> None:
    prefix = f"T{secrets.token_hex(3).upper()}"
    for suffix in ("B", "A", "C"):
        ukey_card_factory(serial=f"{prefix}-{suffix}")
    half = ukey_home / "cards" / f"{prefix}-HALF"
    half.mkdir()  # a directory without a state is no card
    try:
        listed = [s for s in CardRepository(ukey_home).serials() if s.startswith(prefix)]
    finally:
        half.rmdir()
    assert listed == [f"{prefix}-A", f"{prefix}-B", f"{prefix}-C"]


def test_a_deleted_card_leaves_nothing_behind(tmp_path: Path) -> None:
    repo = CardRepository(tmp_path)
    card = tmp_path / "cards" / "SZT-GONE"
    (card / "token" / "objects").mkdir(parents=True)  # e.g. a key store's own directory
    (card / "token" / "objects" / "key.der").write_bytes(b"k")
    (card / "state.json").write_text("{}")
    repo.delete("SZT-GONE")
    assert not card.exists() and repo.serials() == []


def test_a_stored_pin_hash_of_another_scheme_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"^unknown PIN hash scheme 'md5'$"):
        PinHash.parse("md5$1$1$1$00$00")


@pytest.mark.parametrize(("low", "high"), [(1, 1), (1, 16), (6, 6), (16, 16)])
def test_a_card_may_have_any_pin_length_rule_within_1_to_16(low: int, high: int) -> None:
    policy = CardPinPolicy(low, high)
    assert policy.accepts(b"a" * low) and policy.accepts(b"b" * high)
    assert not policy.accepts(b"c" * (high + 1))


@pytest.mark.parametrize(("low", "high"), [(0, 6), (7, 6), (6, 17)])
def test_a_card_pin_length_rule_outside_1_to_16_is_refused(low: int, high: int) -> None:
    with pytest.raises(ValueError, match=r"^PIN length rule must satisfy 1 <= min <= max <= 16$"):
        CardPinPolicy(low, high)
