"""Clients of the five identity providers (issue #4): typed results, one error root.

Tencent Cloud (official SDKs): ``SmsClient`` (SendSms), ``CarrierClient`` (PhoneVerification),
``BankCardClient`` (BankCard4EVerification), ``FaceClient`` (DetectAuth, GetDetectInfoEnhanced);
our own REST API: ``DepositClient``. ``ProviderClients`` bundles them for injection.
"""

from szca_unlock.providers._retry import RetryPolicy
from szca_unlock.providers.bankcard import BankCardClient, BankCardOutcome, BankCardResult
from szca_unlock.providers.bundle import ProviderClients
from szca_unlock.providers.carrier import CarrierClient, CarrierOutcome, CarrierResult
from szca_unlock.providers.deposit import (
    DepositClient,
    DepositErrorCode,
    DepositRejected,
    DepositTransfer,
    TransferStatus,
)
from szca_unlock.providers.errors import (
    FaultKind,
    Provider,
    ProviderError,
    ProviderRejected,
    ProviderUnavailable,
)
from szca_unlock.providers.face import FaceClient, FaceOutcome, FaceResult, FaceSession
from szca_unlock.providers.sms import SmsClient, SmsFailure, SmsReceipt, SmsRejected, SmsTemplate

__all__ = [
    "BankCardClient", "BankCardOutcome", "BankCardResult",
    "CarrierClient", "CarrierOutcome", "CarrierResult",
    "DepositClient", "DepositErrorCode", "DepositRejected", "DepositTransfer",
    "FaceClient", "FaceOutcome", "FaceResult", "FaceSession",
    "FaultKind", "Provider", "ProviderClients", "ProviderError", "ProviderRejected",
    "ProviderUnavailable", "RetryPolicy",
    "SmsClient", "SmsFailure", "SmsReceipt", "SmsRejected", "SmsTemplate",
    "TransferStatus",
]
