"""Seeded generation of whatever a scenario leaves out: names, ID numbers, mobiles, cards.

Each value comes from its own RNG seeded with (scenario seed, persona id, field), so adding
a persona or a field never changes the values generated for the others.
"""

from __future__ import annotations

import random
from functools import lru_cache

from faker import Faker

from emulator.personas.identities import make_bank_card, make_mobile, make_resident_id, make_uscc
from szca_unlock.domain.validators import Gender

SHENZHEN_AREAS = ("440303", "440304", "440305", "440306", "440307", "440308")


def rng_for(seed: int, *parts: str) -> random.Random:
    return random.Random("/".join([str(seed), *parts]))


@lru_cache(maxsize=1)
def _faker() -> Faker:
    return Faker("zh_CN")


def _seeded_faker(rng: random.Random) -> Faker:
    fake = _faker()
    fake.seed_instance(rng.getrandbits(64))
    return fake


def person_name(rng: random.Random, gender: Gender) -> str:
    fake = _seeded_faker(rng)
    return fake.name_male() if gender is Gender.MALE else fake.name_female()


def company_name(rng: random.Random) -> str:
    return f"深圳市{_seeded_faker(rng).company()}"


def resident_id(rng: random.Random, gender: Gender) -> str:
    return make_resident_id(rng, gender=gender, area=rng.choice(SHENZHEN_AREAS))


def gender_of(id_number: str) -> Gender:
    """GB 11643: the 17th digit is odd for men, even for women."""
    return Gender.MALE if int(id_number[16]) % 2 else Gender.FEMALE


def mobile(rng: random.Random) -> str:
    return make_mobile(rng)


def bank_card(rng: random.Random) -> str:
    return make_bank_card(rng)


def uscc(rng: random.Random) -> str:
    return make_uscc(rng)


def account_no(rng: random.Random) -> str:
    """A corporate account number shaped like ICBC's 19 digits (no check digit to honour)."""
    return "4000" + "".join(rng.choice("0123456789") for _ in range(15))


def serial_hex(rng: random.Random) -> str:
    """A positive 64-bit certificate serial, 16 hex digits, first one non-zero."""
    return f"{rng.randrange(1 << 60, 1 << 64):016X}"


def key_serial(rng: random.Random) -> str:
    """``SZ`` + 10 digits, like the virtual U-KEY serials (``SZ2025000001``)."""
    return "SZ" + "".join(rng.choice("0123456789") for _ in range(10))

