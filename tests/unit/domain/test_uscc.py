"""Unified social credit codes (GB 32100-2015)."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.personas.identities import make_uscc
from szca_unlock.domain.errors import ValidationError
from szca_unlock.domain.validators import (
    USCC_CHARSET,
    USCC_ORG_TYPES,
    org_code_check_char,
    uscc_check_char,
    validate_uscc,
)

PUBLISHED = [
    "91350100M000100Y43",  # the sample quoted in the issue
    "914403001922038216",  # 华为技术有限公司 (Shenzhen)
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
]
DEPT_TYPE_PAIRS = [(d, t) for d, types in USCC_ORG_TYPES.items() for t in sorted(types)]


def _code_of(value: str) -> str:
    with pytest.raises(ValidationError) as info:
        validate_uscc(value)
    return info.value.code


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_pass(code):
    assert validate_uscc(code) == code


def test_lower_case_and_blanks_are_normalised():
    assert validate_uscc(" 91440300708461136t ") == "91440300708461136T"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "uscc.required"),
        ("9135010000100Y43", "uscc.length"),
        ("91350100M000100Y4O", "uscc.charset"),  # letter O is not in the charset
        ("91350100M0001I0Y43", "uscc.charset"),
        ("B1350100M000100Y43", "uscc.registration_dept"),
        ("94350100M000100Y43", "uscc.org_type"),  # 工商 has types 1-3 only
        ("Y2350100M000100Y43", "uscc.org_type"),
        ("91990100M000100Y43", "uscc.area"),
        ("9135A100M000100Y43", "uscc.area"),
        ("91350100M000100Y53", "uscc.org_code"),  # org code check char broken
        ("91350100M000100Y44", "uscc.checksum"),
    ],
)
def test_each_rule_has_its_own_code(value, code):
    assert _code_of(value) == code


def test_checksum_message_says_what_and_how():
    with pytest.raises(ValidationError) as info:
        validate_uscc("91350100M000100Y44")
    assert info.value.message == "统一社会信用代码校验位不正确，请核对后重新输入"
    assert info.value.field == "uscc"


def test_national_level_area_code_is_accepted():
    # Centrally registered organisations carry the area code 100000 (国家).
    body = "11100000" + "00001312"
    body += org_code_check_char(body[8:])
    assert validate_uscc(body + uscc_check_char(body)).startswith("11100000")


@given(rng=st.randoms(use_true_random=False), pair=st.sampled_from(DEPT_TYPE_PAIRS))
def test_generated_codes_pass_for_every_department_and_type(rng, pair):
    code = make_uscc(rng, *pair)
    assert validate_uscc(code) == code


@given(rng=st.randoms(use_true_random=False), pos=st.integers(0, 17), data=st.data())
def test_any_single_character_change_is_rejected(rng, pos, data):
    code = make_uscc(rng)
    new = data.draw(st.sampled_from([c for c in USCC_CHARSET if c != code[pos]]))
    with pytest.raises(ValidationError):
        validate_uscc(code[:pos] + new + code[pos + 1 :])


def test_generator_refuses_an_unknown_department_type_pair():
    with pytest.raises(ValueError):
        make_uscc(random.Random(1), "9", "9")
