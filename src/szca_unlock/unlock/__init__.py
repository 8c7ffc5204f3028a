"""Service-side unlock authority: per-card keys, cryptograms, receipts, SO PINs."""

from szca_unlock.unlock.authority import (
    AUTHORISATION_TTL,
    Authorisation,
    SoPinAuthorisation,
    UnlockAuthority,
)
from szca_unlock.unlock.errors import (
    AuthorisationAlreadyConfirmed,
    AuthorisationExpired,
    ChallengeAlreadyUsed,
    KeySerialMismatch,
    MalformedUnlockRequest,
    ReceiptInvalid,
    UnlockAuthorityError,
)
from szca_unlock.unlock.keys import (
    compute_cryptogram,
    compute_receipt,
    derive_card_key,
    verify_receipt,
)
from szca_unlock.unlock.secrets_box import SealError, generate_so_pin, open_secret, seal_secret

__all__ = [
    "AUTHORISATION_TTL",
    "Authorisation",
    "AuthorisationAlreadyConfirmed",
    "AuthorisationExpired",
    "ChallengeAlreadyUsed",
    "KeySerialMismatch",
    "MalformedUnlockRequest",
    "ReceiptInvalid",
    "SealError",
    "SoPinAuthorisation",
    "UnlockAuthority",
    "UnlockAuthorityError",
    "compute_cryptogram",
    "compute_receipt",
    "derive_card_key",
    "generate_so_pin",
    "open_secret",
    "seal_secret",
    "verify_receipt",
]
