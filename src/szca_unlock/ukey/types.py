"""Typed, frozen results of the agent."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DriverKind(StrEnum):
    PCSC = "pcsc"
    PKCS11 = "pkcs11"


@dataclass(frozen=True)
class KeyInfo:
    """One key the agent can see: its serial and where it sits (reader or PKCS#11 slot)."""

    serial: str
    driver: DriverKind
    reader: str


@dataclass(frozen=True)
class PinStatus:
    """User PIN state. ``tries_left`` / ``max_tries`` are ``None`` when the key cannot tell
    (PKCS#11 only exposes COUNT_LOW / FINAL_TRY / LOCKED flags)."""

    tries_left: int | None
    max_tries: int | None
    blocked: bool


@dataclass(frozen=True)
class CardPinInfo:
    """The card's GET DATA PIN info (7 bytes, docs/unlock-protocol.md)."""

    user_tries_left: int
    user_max: int
    user_blocked: bool
    admin_tries_left: int
    admin_max: int
    pin_min_len: int
    pin_max_len: int

    @classmethod
    def parse(cls, data: bytes) -> CardPinInfo:
        if len(data) != 7:
            raise ValueError(f"PIN info must be 7 bytes, got {len(data)}")
        return cls(data[0], data[1], bool(data[2]), data[3], data[4], data[5], data[6])

    @property
    def pin_status(self) -> PinStatus:
        return PinStatus(self.user_tries_left, self.user_max, self.user_blocked)


@dataclass(frozen=True)
class UnlockResult:
    """What an unlock achieved, as confirmed by the service."""

    order_id: str
    key_serial: str
    driver: DriverKind
    authorisation_id: str
    order_state: str
    pin_status: PinStatus
    # True: an earlier run had already reset the key and died before the confirm; this
    # run only confirmed it (the key keeps the PIN set then, not the one typed now).
    reconciled: bool = False
