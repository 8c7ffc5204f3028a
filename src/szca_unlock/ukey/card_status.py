"""Status word → named error, in one place. The same SW means different things for the
user PIN and for the admin (unlock) counter, hence the ``counter`` argument."""

from __future__ import annotations

from typing import Literal

from szca_unlock.ukey.apdu import SW, sw_tries_left
from szca_unlock.ukey.errors import (
    CardError,
    CardNewPinRejected,
    CardNotAUKey,
    CardPinBlocked,
    CardPinIncorrect,
    CardSecurityStatusNotSatisfied,
    CardUnlockBlocked,
    CardUnlockConditionsNotSatisfied,
    CardUnlockCryptogramRefused,
)

Counter = Literal["user", "admin"]


def card_error(sw: int, counter: Counter = "user") -> CardError:
    """The typed error for a non-9000 status word (returned, the caller raises)."""
    if sw_tries_left(sw) is not None:
        return CardPinIncorrect(sw) if counter == "user" else CardUnlockCryptogramRefused(sw)
    if sw == SW.BLOCKED:
        return CardPinBlocked(sw) if counter == "user" else CardUnlockBlocked(sw)
    simple: dict[int, type[CardError]] = {
        SW.SECURITY_STATUS: CardSecurityStatusNotSatisfied,
        SW.CONDITIONS_OF_USE: CardUnlockConditionsNotSatisfied,
        SW.WRONG_DATA: CardNewPinRejected,
        SW.NOT_FOUND: CardNotAUKey,
    }
    return simple.get(sw, CardError)(sw)
