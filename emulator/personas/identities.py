"""Synthetic identity numbers for test data and personas: valid by format, owned by nobody.

Every generator takes a ``random.Random`` so runs are reproducible from a seed, and every
value it returns passes the matching validator in ``szca_unlock.domain.validators``.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from szca_unlock.domain.validators import (
    USCC_CHARSET,
    USCC_ORG_TYPES,
    Gender,
    luhn_check_digit,
    org_code_check_char,
    resident_id_check_char,
    uscc_check_char,
)

# Real county-level GB/T 2260 codes: Shenzhen districts first (the CA's home), then a spread.
AREA_CODES: tuple[str, ...] = (
    "440303",  # 深圳市罗湖区
    "440304",  # 深圳市福田区
    "440305",  # 深圳市南山区
    "440306",  # 深圳市宝安区
    "440307",  # 深圳市龙岗区
    "440308",  # 深圳市盐田区
    "440106",  # 广州市天河区
    "110105",  # 北京市朝阳区
    "310115",  # 上海市浦东新区
    "330106",  # 杭州市西湖区
    "420106",  # 武汉市武昌区
    "510107",  # 成都市武侯区
    "350102",  # 福州市鼓楼区
    "610113",  # 西安市雁塔区
)
# Mobile prefixes assigned to the three operators and China Broadnet (not exhaustive).
MOBILE_PREFIXES: tuple[str, ...] = (
    *(f"13{d}" for d in range(10)),
    "150", "151", "152", "153", "155", "156", "157", "158", "159",
    "166", "172", "173", "175", "176", "177", "178",
    *(f"18{d}" for d in range(10)),
    "191", "192", "193", "195", "196", "197", "198", "199",
)  # fmt: skip
_ADULT_BIRTH_RANGE = (date(1950, 1, 1), date(2005, 12, 31))


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def make_resident_id(
    rng: random.Random,
    birth_date: date | None = None,
    gender: Gender | None = None,
    area: str | None = None,
) -> str:
    """An 18-character resident ID number; an adult born 1950-2005 unless ``birth_date`` is set."""
    if birth_date is None:
        first, last = _ADULT_BIRTH_RANGE
        birth_date = first + timedelta(days=rng.randrange((last - first).days + 1))
    gender = gender or rng.choice(list(Gender))
    gender_digit = rng.choice("13579" if gender is Gender.MALE else "02468")
    body = f"{area or rng.choice(AREA_CODES)}{birth_date:%Y%m%d}{_digits(rng, 2)}{gender_digit}"
    return body + resident_id_check_char(body)


def make_uscc(rng: random.Random, registration_dept: str = "9", org_type: str = "1") -> str:
    """A unified social credit code; an enterprise (91) registered in a real area by default."""
    if org_type not in USCC_ORG_TYPES.get(registration_dept, frozenset()):
        raise ValueError(f"no organisation type {org_type!r} under {registration_dept!r}")
    org_body = "".join(rng.choice(USCC_CHARSET) for _ in range(8))
    body = (
        f"{registration_dept}{org_type}{rng.choice(AREA_CODES)}"
        f"{org_body}{org_code_check_char(org_body)}"
    )
    return body + uscc_check_char(body)


def make_bank_card(rng: random.Random, bin: str = "622202", length: int = 19) -> str:
    """A Luhn-valid card number starting with ``bin`` (622202: ICBC debit cards)."""
    if not bin.isdigit() or not 12 <= length <= 19 or len(bin) >= length:
        raise ValueError("bin must be digits, shorter than the card; cards have 12-19 digits")
    body = bin + _digits(rng, length - len(bin) - 1)
    return body + luhn_check_digit(body)


def make_mobile(rng: random.Random) -> str:
    """An 11-digit mainland mobile number on a real operator prefix."""
    return rng.choice(MOBILE_PREFIXES) + _digits(rng, 8)
