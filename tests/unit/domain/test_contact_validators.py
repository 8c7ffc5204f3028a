"""Mobile numbers, bank cards, person names, e-mail addresses and the masking helpers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.personas.identities import make_bank_card, make_mobile
from szca_unlock.domain.errors import ValidationError
from szca_unlock.domain.validators import (
    mask_bank_card,
    mask_id_number,
    mask_mobile,
    validate_bank_card,
    validate_email,
    validate_mobile,
    validate_person_name,
)


def _code_of(validator, value) -> str:
    with pytest.raises(ValidationError) as info:
        validator(value)
    return info.value.code


# --- mobile ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "+8613800138000",
     "008613800138000", "8613800138000", "１３８００１３８０００"],
)  # fmt: skip
def test_mobile_is_normalised_to_eleven_digits(typed):
    assert validate_mobile(typed) == "13800138000"


@pytest.mark.parametrize(
    ("typed", "code"),
    [("", "mobile.required"), ("12800138000", "mobile.format"), ("1380013800", "mobile.format"),
     ("138001380001", "mobile.format"), ("1380013800a", "mobile.format"),
     ("+85213800138000", "mobile.format"), ("١٣٨٠٠١٣٨٠٠٠", "mobile.format")],
)  # fmt: skip
def test_bad_mobiles_are_refused(typed, code):
    assert _code_of(validate_mobile, typed) == code


@given(rng=st.randoms(use_true_random=False))
def test_generated_mobiles_pass(rng):
    number = make_mobile(rng)
    assert validate_mobile(number) == number


# --- bank card -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "card",
    # Well-known published test numbers (Visa, Mastercard, UnionPay, American Express).
    ["4111111111111111", "5555555555554444", "6200000000000005", "378282246310005"],
)
def test_published_test_cards_pass(card):
    assert validate_bank_card(card) == card


def test_card_spaces_are_removed():
    assert validate_bank_card("4111 1111 1111 1111") == "4111111111111111"


@pytest.mark.parametrize(
    ("typed", "code"),
    [("", "bank_card.required"), ("4111-1111-1111-111a", "bank_card.format"),
     ("41111111111", "bank_card.length"), ("41111111111111111111", "bank_card.length"),
     ("4111111111111112", "bank_card.checksum")],
)  # fmt: skip
def test_bad_cards_are_refused(typed, code):
    assert _code_of(validate_bank_card, typed) == code


@given(rng=st.randoms(use_true_random=False), length=st.integers(12, 19))
def test_generated_cards_of_every_length_pass(rng, length):
    card = make_bank_card(rng, bin="622202", length=length)
    assert validate_bank_card(card) == card and card.startswith("622202")


@given(rng=st.randoms(use_true_random=False), pos=st.integers(0, 18), data=st.data())
def test_any_single_digit_change_of_a_card_is_rejected(rng, pos, data):
    card = make_bank_card(rng)
    new = data.draw(st.sampled_from([c for c in "0123456789" if c != card[pos]]))
    with pytest.raises(ValidationError) as info:
        validate_bank_card(card[:pos] + new + card[pos + 1 :])
    assert info.value.code == "bank_card.checksum"


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("张三", "张三"), (" 欧阳娜娜 ", "欧阳娜娜"), ("阿依古丽·买买提", "阿依古丽·买买提"),
     ("艾力•买买提", "艾力·买买提"), ("艾力・买买提", "艾力·买买提"), ("王〇", "王〇"),
     ("Mary-Jane O'Neil", "Mary-Jane O'Neil"), ("J. R. R.  Tolkien", "J. R. R. Tolkien"),
     ("José Müller", "José Müller")],
)  # fmt: skip
def test_real_name_shapes_pass(typed, stored):
    assert validate_person_name(typed) == stored


@pytest.mark.parametrize(
    ("typed", "code"),
    [("", "name.required"), ("   ", "name.required"), ("李", "name.length"),
     ("张" * 31, "name.length"), ("·买买提", "name.format"), ("艾力·", "name.format"),
     ("艾力··买买提", "name.format"), ("张3", "name.format"), ("李Lee", "name.format"),
     ("Robert'); DROP TABLE--", "name.format"), ("A", "name.length"), ("a" * 61, "name.length")],
)  # fmt: skip
def test_bad_names_are_refused(typed, code):
    assert _code_of(validate_person_name, typed) == code


def test_name_format_message_explains_the_middle_dot():
    with pytest.raises(ValidationError) as info:
        validate_person_name("张3")
    assert "·" in info.value.message and "证件" in info.value.message


# --- e-mail ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("zhang.san@example.com", "zhang.san@example.com"),
     (" Zhang.San+ca@Mail.Example.CN ", "Zhang.San+ca@mail.example.cn"),
     ("kefu@深圳.中国", "kefu@深圳.中国")],
)  # fmt: skip
def test_good_emails_pass(typed, stored):
    assert validate_email(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["zhangsan", "zhang@", "@example.com", "zhang san@example.com", "zhang..san@example.com",
     ".zhang@example.com", "zhang@localhost", "zhang@example..com", "zhang@-example.com",
     "zhang@example.123", "张三@example.com", "a" * 65 + "@example.com"],
)  # fmt: skip
def test_bad_emails_are_refused(typed):
    assert _code_of(validate_email, typed) == "email.format"


# --- masking ---------------------------------------------------------------------------------


def test_masks_keep_only_the_last_four():
    assert mask_id_number("11010519491231002X") == "**************002X"
    assert mask_mobile("13800138000") == "*******8000"
    assert mask_bank_card("6222021234567890128") == "***************0128"
