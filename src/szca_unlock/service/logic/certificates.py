"""C-2 / *-3: find a certificate by its typed serial and say whether it may be unlocked."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from szca_unlock.domain.certificates import Certificate
from szca_unlock.store.models_pki import CertificateRow
from szca_unlock.store.repo_pki import certificate_from_row, get_certificate_by_serial


def find_unlockable(db: Session, serial: str, now: datetime
                    ) -> tuple[CertificateRow, Certificate]:
    """The certificate, or a clear error: unknown (404), revoked / expired / not yet valid."""
    row = get_certificate_by_serial(db, serial)
    cert = certificate_from_row(row)
    cert.check_unlockable(now)
    return row, cert


def holder_name(cert: Certificate) -> str:
    """Who the certificate names: the person, or the organisation for an ORG certificate."""
    if cert.holder is not None:
        return cert.holder.name
    assert cert.organisation is not None  # guaranteed by Certificate.__post_init__
    return cert.organisation.name
