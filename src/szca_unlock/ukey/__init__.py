"""The U-KEY agent: one interface over PC/SC cards and PKCS#11 tokens, and the unlock run.

Drivers import their native libraries (pyscard, python-pkcs11) only when used.
"""

from szca_unlock.ukey.agent import UnlockAgent
from szca_unlock.ukey.base import (
    ChallengeUnlockable,
    SoPinUnlockable,
    UKey,
    UKeyDriver,
    open_single_key,
)
from szca_unlock.ukey.errors import (
    CardError,
    MultipleKeysFound,
    NewPinRejected,
    NoKeyFound,
    NotAUKey,
    ObjectNotFound,
    PinBlocked,
    PinIncorrect,
    Pkcs11Error,
    ReaderError,
    SecurityStatusNotSatisfied,
    UKeyError,
    UnlockBlocked,
    UnlockConditionsNotSatisfied,
    UnlockCryptogramRefused,
    UnlockIncomplete,
    WrongKey,
)
from szca_unlock.ukey.service import UnlockService
from szca_unlock.ukey.types import CardPinInfo, DriverKind, KeyInfo, PinStatus, UnlockResult

__all__ = [
    "CardError",
    "CardPinInfo",
    "ChallengeUnlockable",
    "DriverKind",
    "KeyInfo",
    "MultipleKeysFound",
    "NewPinRejected",
    "NoKeyFound",
    "NotAUKey",
    "ObjectNotFound",
    "PinBlocked",
    "PinIncorrect",
    "PinStatus",
    "Pkcs11Error",
    "ReaderError",
    "SecurityStatusNotSatisfied",
    "SoPinUnlockable",
    "UKey",
    "UKeyDriver",
    "UKeyError",
    "UnlockAgent",
    "UnlockBlocked",
    "UnlockConditionsNotSatisfied",
    "UnlockCryptogramRefused",
    "UnlockIncomplete",
    "UnlockResult",
    "UnlockService",
    "WrongKey",
    "open_single_key",
]
