"""Test-data generators: reproducible, honour their arguments, refuse impossible requests."""

import random
from datetime import date

import pytest

from emulator.personas.identities import (
    AREA_CODES,
    MOBILE_PREFIXES,
    make_bank_card,
    make_mobile,
    make_resident_id,
    make_uscc,
)
from szca_unlock.domain.validators import Gender, validate_resident_id

GENERATORS = [make_resident_id, make_uscc, make_bank_card, make_mobile]


@pytest.mark.parametrize("make", GENERATORS)
def test_same_seed_same_values_and_different_seeds_differ(make):
    first = [make(random.Random(42)) for _ in range(3)]
    assert first == [make(random.Random(42)) for _ in range(3)]
    assert len({make(random.Random(seed)) for seed in range(50)}) > 45


def test_resident_id_honours_birth_date_gender_and_area():
    number = make_resident_id(random.Random(3), date(1990, 2, 28), Gender.MALE, "440304")
    rid = validate_resident_id(number)
    assert number.startswith("44030419900228")
    assert (rid.birth_date, rid.gender) == (date(1990, 2, 28), Gender.MALE)


def test_default_identities_are_adults_from_real_areas():
    rng = random.Random(5)
    for _ in range(200):
        rid = validate_resident_id(make_resident_id(rng))
        assert rid.area_code in AREA_CODES
        assert date(1950, 1, 1) <= rid.birth_date <= date(2005, 12, 31)


def test_uscc_honours_department_and_type():
    assert make_uscc(random.Random(1), "5", "3").startswith("53")  # 民政 / 基金会


def test_mobiles_use_real_operator_prefixes():
    rng = random.Random(9)
    assert all(make_mobile(rng)[:3] in MOBILE_PREFIXES for _ in range(200))


@pytest.mark.parametrize(
    ("bin", "length"), [("62a202", 19), ("622202", 11), ("622202", 20), ("6222021234567", 13)]
)
def test_impossible_cards_are_refused(bin, length):
    with pytest.raises(ValueError):
        make_bank_card(random.Random(1), bin=bin, length=length)
