"""Every documented status word becomes the named error the user can act on, keeping .sw."""

from __future__ import annotations

import pytest

from szca_unlock.ukey import (
    CardError,
    NewPinRejected,
    NotAUKey,
    PinBlocked,
    PinIncorrect,
    SecurityStatusNotSatisfied,
    UnlockBlocked,
    UnlockConditionsNotSatisfied,
    UnlockCryptogramRefused,
)
from szca_unlock.ukey.card_status import card_error


@pytest.mark.parametrize(("sw", "counter", "category"), [
    (0x63C5, "user", PinIncorrect),
    (0x6983, "user", PinBlocked),
    (0x63C9, "admin", UnlockCryptogramRefused),
    (0x6983, "admin", UnlockBlocked),
    (0x6982, "user", SecurityStatusNotSatisfied),
    (0x6985, "admin", UnlockConditionsNotSatisfied),
    (0x6A80, "admin", NewPinRejected),
    (0x6A82, "user", NotAUKey),
])
def test_status_words_map_to_categories(sw: int, counter: str, category: type) -> None:
    error = card_error(sw, counter)  # type: ignore[arg-type]
    assert isinstance(error, category)
    assert isinstance(error, CardError)
    assert error.sw == sw
    assert error.message == category.message_zh or "还可重试" in error.message


def test_wrong_pin_says_how_many_tries_are_left() -> None:
    error = card_error(0x63C2)
    assert error.tries_left == 2
    assert error.message == "U-KEY 密码错误，还可重试 2 次"


def test_refused_cryptogram_keeps_admin_tries_left() -> None:
    assert card_error(0x63C7, "admin").tries_left == 7


@pytest.mark.parametrize("sw", [0x6D00, 0x6E00, 0x6700, 0x6A86, 0x6F00])
def test_other_status_words_stay_generic_and_show_the_code(sw: int) -> None:
    error = card_error(sw)
    assert type(error) is CardError
    assert f"{sw:04X}" in error.message
