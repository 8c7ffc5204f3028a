"""Resident ID numbers (GB 11643-1999)."""

import random
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.personas.identities import make_resident_id
from szca_unlock.domain.errors import DomainError, ValidationError
from szca_unlock.domain.validators import Gender, validate_resident_id

ID_CHARS = "0123456789X"
# GB 11643-1999's own worked example.
STANDARD_EXAMPLE = "11010519491231002X"


def _code_of(value: str, **kwargs: object) -> str:
    with pytest.raises(ValidationError) as info:
        validate_resident_id(value, **kwargs)
    return info.value.code


def test_standard_example_passes_with_its_birth_date_and_gender():
    rid = validate_resident_id(STANDARD_EXAMPLE)
    assert rid.number == STANDARD_EXAMPLE
    assert rid.birth_date == date(1949, 12, 31)
    assert rid.gender is Gender.FEMALE  # 17th digit 2 is even
    assert rid.area_code == "110105"


def test_lower_case_x_and_full_width_input_are_normalised():
    assert validate_resident_id("11010519491231002x").number == STANDARD_EXAMPLE
    full_width = "１１０１０５１９４９１２３１００２Ｘ"
    assert validate_resident_id(f"  {full_width} ").number == STANDARD_EXAMPLE


def test_masked_and_repr_keep_only_the_last_four():
    rid = validate_resident_id(STANDARD_EXAMPLE)
    assert rid.masked == "**************002X"
    assert STANDARD_EXAMPLE not in repr(rid)


@pytest.mark.parametrize(
    ("value", "code", "words"),
    [
        ("", "id_number.required", "请输入身份证号码"),
        (None, "id_number.required", "请输入身份证号码"),
        ("110105491231002", "id_number.length", "18位"),  # old 15-digit number
        ("11010519491231002", "id_number.length", "18位"),
        ("1101051949123100X2", "id_number.format", "末位"),
        ("11010519491231002Y", "id_number.format", "末位"),
        ("00010519491231002X", "id_number.area", "地区码"),
        ("99010519491231002X", "id_number.area", "地区码"),
        ("110105194902300021", "id_number.birth_date", "出生日期"),  # 30 February
        ("110105194913010021", "id_number.birth_date", "出生日期"),
        ("110105189912310021", "id_number.birth_date_too_early", "1900"),
        ("110105194912310021", "id_number.checksum", "校验位不正确"),
    ],
)
def test_each_rule_has_its_own_code_and_message(value, code, words):
    with pytest.raises(ValidationError) as info:
        validate_resident_id(value)
    assert info.value.code == code
    assert words in info.value.message
    assert info.value.field == "id_number"
    assert isinstance(info.value, DomainError)


def test_checksum_message_is_the_agreed_wording_and_hides_the_number():
    with pytest.raises(ValidationError) as info:
        validate_resident_id("110105194912310021")
    assert info.value.message == "身份证号码校验位不正确，请核对后重新输入"
    assert "110105194912310021" not in str(info.value)


def test_valid_checksum_but_born_before_1900_is_refused():
    # GB 11643's second example: the algorithm accepts it, our 1900 floor does not.
    assert _code_of("440524188001010014") == "id_number.birth_date_too_early"


def test_birth_date_in_the_future_is_refused():
    today = date(2025, 6, 1)
    tomorrow = make_resident_id(random.Random(7), birth_date=today + timedelta(1))
    assert _code_of(tomorrow, today=today) == "id_number.birth_date_future"
    born_today = make_resident_id(random.Random(7), birth_date=today)
    assert validate_resident_id(born_today, today=today).birth_date == today


def test_field_name_can_be_set_for_the_legal_person():
    with pytest.raises(ValidationError) as info:
        validate_resident_id("123", field="legal_person_id_number")
    assert info.value.field == "legal_person_id_number"
    assert info.value.code == "legal_person_id_number.length"


@given(
    rng=st.randoms(use_true_random=False),
    birth=st.dates(date(1900, 1, 1), date(2024, 12, 31)),
    gender=st.sampled_from(Gender),
)
def test_generated_numbers_pass_with_their_birth_date_and_gender(rng, birth, gender):
    number = make_resident_id(rng, birth_date=birth, gender=gender, area="440305")
    rid = validate_resident_id(number)
    assert (rid.birth_date, rid.gender, rid.area_code) == (birth, gender, "440305")


@given(rng=st.randoms(use_true_random=False), pos=st.integers(0, 17), data=st.data())
def test_any_single_character_change_is_rejected(rng, pos, data):
    number = make_resident_id(rng)
    new = data.draw(st.sampled_from([c for c in ID_CHARS if c != number[pos]]))
    with pytest.raises(ValidationError):
        validate_resident_id(number[:pos] + new + number[pos + 1 :])
