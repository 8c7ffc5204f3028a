"""The checks a real carrier/bank gateway applies to raw input (kept apart from the product's
validators on purpose: the mock must not share the product's bugs)."""

from __future__ import annotations

import re

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_MOBILE = re.compile(r"(?:\+86|0086|86)?(1[3-9]\d{9})")


def normalise_mobile(value: str) -> str | None:
    """The 11-digit mainland number, or None if ``value`` is not one (E.164 +86 accepted)."""
    match = _MOBILE.fullmatch(value.strip())
    return match.group(1) if match else None


def id_number_ok(value: str) -> bool:
    """18-character resident ID with a correct GB 11643 check character (upper-case X only)."""
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    total = sum(int(c) * w for c, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17]


def with_check_digit(first17: str) -> str:
    """``first17`` plus its GB 11643 check character (for building magic ID numbers)."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return first17 + _ID_CHECK[total % 11]


def name_ok(value: str) -> bool:
    """Non-empty, at most 32 characters, no digits."""
    value = value.strip()
    return 0 < len(value) <= 32 and not any(c.isdigit() for c in value)


def with_luhn_digit(body: str) -> str:
    """``body`` plus the Luhn check digit that makes it a valid card number."""
    return next(body + d for d in "0123456789" if card_ok(body + d))


def card_ok(value: str) -> bool:
    """12-19 digits with a valid Luhn check digit."""
    if not (value.isascii() and value.isdigit() and 12 <= len(value) <= 19):
        return False
    total = 0
    for i, ch in enumerate(reversed(value)):
        digit = int(ch)
        if i % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


_ISP_PREFIXES = {
    "移动": ("134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "157", "158",
             "159", "178", "182", "183", "184", "187", "188", "195", "198"),
    "联通": ("130", "131", "132", "145", "155", "156", "166", "175", "176", "185", "186", "196"),
    "电信": ("133", "149", "153", "173", "177", "180", "181", "189", "190", "191", "193", "199"),
}


def isp_of(mobile: str) -> str:
    """The carrier's name as Tencent reports it (``""`` when unknown)."""
    for isp, prefixes in _ISP_PREFIXES.items():
        if mobile.startswith(prefixes):
            return isp
    return ""
