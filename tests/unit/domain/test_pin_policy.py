"""The new U-KEY user PIN: shape rules and the confirmation entry."""

import string

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from szca_unlock.domain.errors import ValidationError
from szca_unlock.domain.pin_policy import PinPolicy, check_new_pin, validate_pin

PIN_ALPHABET = string.ascii_letters + string.digits


def _code_of(pin: str, confirmation: str | None = None, **kwargs) -> str:
    with pytest.raises(ValidationError) as info:
        check_new_pin(pin, pin if confirmation is None else confirmation, **kwargs)
    return info.value.code


@pytest.mark.parametrize(
    "pin",
    ["a1b2c3", "Abc123", "123457", "112233", "135790", "abcdef", "Zz9Zz9Zz9Zz9Zz9Z", "000001"],
)
def test_acceptable_pins_pass(pin):
    assert check_new_pin(pin, pin) == pin


@pytest.mark.parametrize(
    ("pin", "code"),
    [
        ("", "pin.required"),
        ("a1b2c", "pin.length"),
        ("a1b2c3d4e5f6g7h8i", "pin.length"),
        ("abc 123", "pin.charset"),
        ("abc_123", "pin.charset"),
        ("密码abc123", "pin.charset"),
        ("１２３４５a", "pin.charset"),  # full-width digits look right but are not ASCII
        ("111111", "pin.all_same"),
        ("aaaaaaaa", "pin.all_same"),
        ("123456", "pin.sequence"),
        ("654321", "pin.sequence"),
        ("0123456789", "pin.sequence"),
        ("3456789", "pin.sequence"),
    ],
)
def test_each_broken_rule_has_its_own_code(pin, code):
    assert _code_of(pin) == code


def test_mismatch_is_reported_on_the_confirmation_field():
    with pytest.raises(ValidationError) as info:
        check_new_pin("Abc123", "abc123")  # PINs are case-sensitive
    assert info.value.code == "pin.mismatch"
    assert info.value.message.startswith("两次输入的新密码不一致")
    assert info.value.field == "pin_confirmation"


def test_a_bad_pin_is_reported_before_the_mismatch():
    assert _code_of("123456", "12345") == "pin.sequence"


def test_messages_never_contain_the_pin():
    for pin in ["a1b2c", "abc 123", "222222", "456789", "987654"]:
        with pytest.raises(ValidationError) as info:
            validate_pin(pin)
        assert pin not in info.value.message


def test_a_card_with_narrower_limits_narrows_the_policy():
    card_policy = PinPolicy(min_length=8, max_length=12)
    assert _code_of("a1b2c3", policy=card_policy) == "pin.length"
    with pytest.raises(ValidationError) as info:
        validate_pin("a1b2c3", card_policy)
    assert "8至12位" in info.value.message
    assert check_new_pin("a1b2c3d4", "a1b2c3d4", card_policy) == "a1b2c3d4"


def test_an_impossible_policy_is_a_programming_error():
    with pytest.raises(ValueError):
        PinPolicy(min_length=8, max_length=6)


@given(st.text(PIN_ALPHABET, min_size=6, max_size=16))
def test_any_letters_and_digits_pin_passes_unless_trivial(pin):
    trivial = len(set(pin)) == 1 or (pin.isdigit() and (pin in "0123456789" or pin in "9876543210"))
    assume(not trivial)
    assert validate_pin(pin) == pin


@given(
    st.text(PIN_ALPHABET, min_size=3, max_size=8),
    st.characters(blacklist_categories=("Cs",)).filter(lambda c: c not in PIN_ALPHABET),
    st.text(PIN_ALPHABET, min_size=3, max_size=7),
)
def test_any_other_character_is_refused(head, bad, tail):
    assert _code_of(head + bad + tail) == "pin.charset"
