"""The seeded world: who the carrier, the banks, the face database and the corporate banks know.

``seed()`` accepts the shape of ``emulator.personas.loader.provider_records(scenario)``: a dict
with lists under ``carrier``, ``bank``, ``face`` and ``corporate_accounts``; a few key aliases
are accepted so the personas loader and QA's own YAML need not spell every key the same way.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any, TypeVar

from .identity import normalise_mobile


class RecordError(ValueError):
    """A seed record lacks a field; the message names the kind, the index and the field."""


@dataclass(frozen=True)
class CarrierRecord:
    name: str
    id_number: str
    mobile: str


@dataclass(frozen=True)
class BankRecord:
    name: str
    id_number: str
    card_number: str
    mobile: str


@dataclass(frozen=True)
class FaceRecord:
    name: str
    id_number: str


@dataclass(frozen=True)
class CorporateAccount:
    company_name: str
    bank_name: str
    branch_name: str
    account_number: str


_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "id_number": ("id_number", "id", "id_card"),
    "mobile": ("mobile", "reserved_mobile", "phone"),
    "card_number": ("card_number", "card", "bank_card"),
    "company_name": ("company_name", "account_name", "name"),
    "bank_name": ("bank_name", "bank"),
    "branch_name": ("branch_name", "branch"),
    "account_number": ("account_number", "account", "account_no"),
}

_KINDS = ("carrier", "bank", "face", "corporate_accounts")
R = TypeVar("R", CarrierRecord, BankRecord, FaceRecord, CorporateAccount)


def _field(raw: Mapping[str, Any], field: str, kind: str, index: int) -> str:
    for key in _ALIASES[field]:
        value = raw.get(key)
        if value not in (None, ""):
            text = str(value).strip()
            if field == "mobile":
                text = normalise_mobile(text) or text
            return text
    raise RecordError(f"{kind}[{index}] lacks {field!r} (accepted keys: {_ALIASES[field]})")


def _built(cls: type[R], kind: str, data: Mapping[str, Iterable[Mapping[str, Any]]]) -> list[R]:
    """The records of ``kind`` in ``data`` as ``cls`` values; ``RecordError`` names the first
    incomplete one."""
    return [cls(**{f.name: _field(raw, f.name, kind, index) for f in fields(cls)})
            for index, raw in enumerate(data.get(kind) or ())]


class IdentityRecords:
    """All seeded records, keyed for the lookups the providers make."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.carrier: dict[str, CarrierRecord] = {}  # by mobile
            self.bank: dict[str, BankRecord] = {}  # by card number
            self.face: dict[str, FaceRecord] = {}  # by id number
            self.accounts: dict[str, CorporateAccount] = {}  # by account number

    def seed(self, data: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[str, int]:
        """Add or replace records; unknown top-level keys are refused so typos do not pass."""
        unknown = set(data) - set(_KINDS)
        if unknown:
            raise RecordError(f"unknown record kinds {sorted(unknown)}; expected {sorted(_KINDS)}")
        carrier = _built(CarrierRecord, "carrier", data)
        bank = _built(BankRecord, "bank", data)
        face = _built(FaceRecord, "face", data)
        accounts = _built(CorporateAccount, "corporate_accounts", data)
        with self._lock:  # all records were complete: nothing is half-seeded
            self.carrier.update((r.mobile, r) for r in carrier)
            self.bank.update((r.card_number, r) for r in bank)
            self.face.update((r.id_number, r) for r in face)
            self.accounts.update((r.account_number, r) for r in accounts)
        return {"carrier": len(carrier), "bank": len(bank), "face": len(face),
                "corporate_accounts": len(accounts)}

    def as_dict(self) -> dict[str, list[dict[str, str]]]:
        with self._lock:
            return {
                "carrier": [asdict(r) for r in self.carrier.values()],
                "bank": [asdict(r) for r in self.bank.values()],
                "face": [asdict(r) for r in self.face.values()],
                "corporate_accounts": [asdict(r) for r in self.accounts.values()],
            }
