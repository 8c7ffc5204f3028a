"""Every table, importable from one place (Alembic's env and the repositories use it)."""

from szca_unlock.store.models_access import (
    AgreementAcceptanceRow,
    AssistantTicketRow,
    LoginCodeRow,
    SessionRow,
    StaffUserRow,
)
from szca_unlock.store.models_orders import (
    DocumentRow,
    OrderCounterRow,
    OrderRow,
    OrderTransitionRow,
    ReviewRow,
    UnlockAuthorisationRow,
    VerificationRow,
)
from szca_unlock.store.models_pki import CertificateRow, HolderRow, OrganisationRow, UKeyRow

__all__ = [
    "AgreementAcceptanceRow",
    "AssistantTicketRow",
    "CertificateRow",
    "DocumentRow",
    "HolderRow",
    "LoginCodeRow",
    "OrderCounterRow",
    "OrderRow",
    "OrderTransitionRow",
    "OrganisationRow",
    "ReviewRow",
    "SessionRow",
    "StaffUserRow",
    "UKeyRow",
    "UnlockAuthorisationRow",
    "VerificationRow",
]
