"""The U-KEY user PIN policy applied before a new PIN is sent to the card.

Only shape rules: the agent never knows the old PIN, so "differs from the old one" cannot be
checked here. The length limits default to the card contract (6-16 ASCII letters/digits, see
docs/unlock-protocol.md) and can be narrowed to what a card reports in GET DATA PIN info.
"""

from __future__ import annotations

import itertools
import string
from dataclasses import dataclass

from szca_unlock.domain.errors import ValidationError

_ALLOWED = frozenset(string.ascii_letters + string.digits)
FIELD = "new_pin"


@dataclass(frozen=True)
class PinPolicy:
    min_length: int = 6
    max_length: int = 16

    def __post_init__(self) -> None:
        if not 1 <= self.min_length <= self.max_length:
            raise ValueError(f"bad PIN length range {self.min_length}..{self.max_length}")


DEFAULT_PIN_POLICY = PinPolicy()


def describe(policy: PinPolicy = DEFAULT_PIN_POLICY) -> str:
    """The rules below, as the new-PIN dialog states them."""
    return (f"新密码为{policy.min_length}至{policy.max_length}位英文字母或数字（区分大小写），"
            "不能全部是同一个字符，也不能是连续的数字（如123456）")


def _fail(rule: str, message: str) -> ValidationError:
    return ValidationError(f"pin.{rule}", message, FIELD)


def _is_digit_run(pin: str) -> bool:
    """True for a straight run of digits, ascending or descending by one (123456, 987654)."""
    if not pin.isdigit():
        return False
    steps = {int(b) - int(a) for a, b in itertools.pairwise(pin)}
    return steps in ({1}, {-1})


def validate_pin(pin: str, policy: PinPolicy = DEFAULT_PIN_POLICY) -> str:
    """Check a new PIN's shape; returns it unchanged (PINs are case-sensitive, never trimmed)."""
    if not pin:
        raise _fail("required", "请输入新密码")
    if any(c not in _ALLOWED for c in pin):
        raise _fail("charset", "新密码只能包含英文字母和数字（不能有空格或符号），请重新设置")
    if not policy.min_length <= len(pin) <= policy.max_length:
        raise _fail(
            "length",
            f"新密码长度应为{policy.min_length}至{policy.max_length}位，请重新设置",
        )
    if len(set(pin)) == 1:
        raise _fail("all_same", "新密码不能全部是同一个字符（如111111），请重新设置")
    if _is_digit_run(pin):
        raise _fail("sequence", "新密码不能是连续的数字（如123456或654321），请重新设置")
    return pin


def check_new_pin(pin: str, confirmation: str, policy: PinPolicy = DEFAULT_PIN_POLICY) -> str:
    """The new-PIN dialog: the PIN must meet the policy and both entries must match."""
    validate_pin(pin, policy)
    if pin != confirmation:
        raise ValidationError(
            "pin.mismatch", "两次输入的新密码不一致，请重新输入", "pin_confirmation"
        )
    return pin
