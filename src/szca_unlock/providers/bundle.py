"""All five provider clients, built once from ``ProviderEndpoints`` for the service to inject."""

from __future__ import annotations

from dataclasses import dataclass

from szca_unlock.config import ProviderEndpoints
from szca_unlock.providers._retry import RetryPolicy
from szca_unlock.providers.bankcard import BankCardClient
from szca_unlock.providers.carrier import CarrierClient
from szca_unlock.providers.deposit import DepositClient
from szca_unlock.providers.face import FaceClient
from szca_unlock.providers.sms import SmsClient


@dataclass(frozen=True)
class ProviderClients:
    sms: SmsClient
    carrier: CarrierClient
    bank_card: BankCardClient
    face: FaceClient
    deposit: DepositClient

    @classmethod
    def from_endpoints(cls, endpoints: ProviderEndpoints | None = None, *,
                       retry: RetryPolicy | None = None) -> ProviderClients:
        """Clients for ``endpoints`` (default: ``ProviderEndpoints.from_env()``); ``retry`` is the
        policy of the safe reads (face result, deposit status)."""
        endpoints = endpoints or ProviderEndpoints.from_env()
        return cls(
            sms=SmsClient(endpoints),
            carrier=CarrierClient(endpoints),
            bank_card=BankCardClient(endpoints),
            face=FaceClient(endpoints, retry=retry),
            deposit=DepositClient(endpoints, retry=retry),
        )
