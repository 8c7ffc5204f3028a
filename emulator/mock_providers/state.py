"""Everything one mock server holds; ``reset()`` returns it to empty, ``seed()`` adds records."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import HTTPConnection

from szca_unlock.config import ProviderEndpoints

from .bank.models import OUTCOMES as BANK_OUTCOMES
from .bank.models import BankBackend
from .carrier.models import OUTCOMES as CARRIER_OUTCOMES
from .carrier.models import CarrierBackend
from .clock import Clock
from .deposit.auth import NonceCache
from .deposit.models import CONFIRM_OUTCOMES, CREATE_OUTCOMES, DepositBackend
from .face.models import OUTCOMES as FACE_OUTCOMES
from .face.models import FaceBackend
from .faults import FaultRegistry
from .journal import Journal
from .outcomes import NextOutcomes
from .records import IdentityRecords
from .sms.models import OUTCOMES as SMS_OUTCOMES
from .sms.models import SmsBackend

TENCENT_ERROR_OUTCOMES = frozenset({"internal_error"})

OUTCOME_CATALOGUE: dict[tuple[str, str], frozenset[str]] = {
    ("sms", "SendSms"): SMS_OUTCOMES | TENCENT_ERROR_OUTCOMES,
    ("carrier", "PhoneVerification"): CARRIER_OUTCOMES | TENCENT_ERROR_OUTCOMES,
    ("bank", "BankCard4EVerification"): BANK_OUTCOMES | TENCENT_ERROR_OUTCOMES,
    ("face", "DetectAuth"): FACE_OUTCOMES | TENCENT_ERROR_OUTCOMES,
    ("face", "GetDetectInfoEnhanced"): TENCENT_ERROR_OUTCOMES,
    ("deposit", "create_verification"): CREATE_OUTCOMES,
    ("deposit", "confirm_verification"): CONFIRM_OUTCOMES,
}


@dataclass
class Credentials:
    """Who may call: Tencent SecretId -> SecretKey, deposit key id -> secret."""

    tencent: dict[str, str] = field(default_factory=dict)
    deposit: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_endpoints(cls, endpoints: ProviderEndpoints) -> Credentials:
        return cls({endpoints.tencent_secret_id: endpoints.tencent_secret_key},
                   {endpoints.deposit_key_id: endpoints.deposit_secret})


class ProviderState:
    def __init__(self, credentials: Credentials | None = None) -> None:
        self.credentials = credentials or Credentials.from_endpoints(ProviderEndpoints())
        self.clock = Clock()
        self.records = IdentityRecords()
        self.journal = Journal()
        self.faults = FaultRegistry()
        self.outcomes = NextOutcomes(OUTCOME_CATALOGUE)
        self.nonces = NonceCache()
        self.sms = SmsBackend(self.clock)
        self.carrier = CarrierBackend(self.records)
        self.bank = BankBackend(self.records)
        self.face = FaceBackend(self.records, self.clock)
        self.deposit = DepositBackend(self.records, self.clock)

    def reset(self) -> None:
        for part in (self.clock, self.records, self.faults, self.outcomes, self.nonces, self.sms,
                     self.carrier, self.bank, self.face, self.deposit):
            part.reset()
        self.journal.clear()

    def seed(self, data: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[str, int]:
        return self.records.seed(data)


def state_of(request: HTTPConnection) -> ProviderState:
    """The world of the mock server that received ``request`` (``app.create_app`` sets it)."""
    state: ProviderState = request.app.state.providers
    return state
