"""Small closed vocabularies stored in columns (values are what the database holds)."""

from __future__ import annotations

from enum import StrEnum


class UKeyDriver(StrEnum):
    PCSC = "pcsc"  # our card application: RESET RETRY COUNTER with a cryptogram
    PKCS11 = "pkcs11"  # a PKCS#11 token: SO login + C_InitPIN with a released SO PIN


class SessionKind(StrEnum):
    APPLICANT = "applicant"
    STAFF = "staff"
    # The certificate helper (szca-assistant) for one order: redeemed from a one-time
    # ticket the applicant's page asked for; it may call that order's unlock routes only.
    ASSISTANT = "assistant"


class StaffRole(StrEnum):
    REVIEWER = "reviewer"
    ADMIN = "admin"


class VerificationStatus(StrEnum):
    PENDING = "pending"
    PASSED = "passed"
    FAILED = "failed"


class ReviewDecision(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"


class AuthorisationKind(StrEnum):
    CARD = "card"  # cryptogram for a card challenge
    SO_PIN = "so_pin"  # SO PIN released to a PKCS#11 token
