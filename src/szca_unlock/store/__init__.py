"""Storage: SQLAlchemy models, Alembic migrations and verb_noun repository functions.

``Database(url).session()`` is one transaction; repository functions take that session,
flush (never commit), and raise ``NotFound`` where a miss is an error.
"""

from szca_unlock.store.database import Database, make_engine
from szca_unlock.store.enums import (
    AuthorisationKind,
    ReviewDecision,
    SessionKind,
    StaffRole,
    UKeyDriver,
    VerificationStatus,
)
from szca_unlock.store.errors import NotFound
from szca_unlock.store.migrate import current_revision, upgrade_to_head
from szca_unlock.store.transitions import apply_transition

__all__ = [
    "AuthorisationKind",
    "Database",
    "NotFound",
    "ReviewDecision",
    "SessionKind",
    "StaffRole",
    "UKeyDriver",
    "VerificationStatus",
    "apply_transition",
    "current_revision",
    "make_engine",
    "upgrade_to_head",
]
