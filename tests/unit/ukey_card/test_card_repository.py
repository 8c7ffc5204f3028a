"""Where the cards of a home live: the list the world shows (``szca-emulator cards``)."""

from __future__ import annotations

import secrets
from pathlib import Path

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
