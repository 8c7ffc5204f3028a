"""Who holds which certificate on which key: organisations, holders, certificates, U-KEYs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from szca_unlock.domain.certificates import CertificateKind, CertificateStatus
from szca_unlock.store.base import Base, UTCDateTime, str_enum
from szca_unlock.store.encrypted import EncryptedString, LookupHash, hashed_by
from szca_unlock.store.enums import UKeyDriver


class OrganisationRow(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    legal_rep_name: Mapped[str] = mapped_column(String(100))
    legal_rep_id_number: Mapped[str] = mapped_column(
        EncryptedString("organisations.legal_rep_id_number"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class HolderRow(Base):
    """A natural person named in a certificate. The full ID number is kept (this is the
    CA's own register), encrypted at rest, and must never reach a log line or an error
    message; rows are found by its lookup hash."""

    __tablename__ = "holders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    id_number: Mapped[str] = mapped_column(EncryptedString("holders.id_number"))
    id_number_hash: Mapped[str] = mapped_column(LookupHash("id_number"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"HolderRow(id={self.id!r}, name={self.name!r})"


class CertificateRow(Base):
    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    serial_hex: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[CertificateKind] = mapped_column(str_enum(CertificateKind))
    medical: Mapped[bool] = mapped_column(Boolean, default=False)
    subject_dn: Mapped[str] = mapped_column(Text)
    not_before: Mapped[datetime] = mapped_column(UTCDateTime())
    not_after: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[CertificateStatus] = mapped_column(str_enum(CertificateStatus))
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("holders.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"),
                                                        index=True)
    key_serial: Mapped[str] = mapped_column(String(32), index=True)
    applicant_mobile: Mapped[str | None] = mapped_column(
        EncryptedString("certificates.applicant_mobile"))
    der: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    holder: Mapped[HolderRow | None] = relationship(lazy="joined")
    organisation: Mapped[OrganisationRow | None] = relationship(lazy="joined")


class UKeyRow(Base):
    """A token the CA issued. PKCS#11 tokens carry their SO PIN sealed under the master key;
    ``pending_so_pin_sealed`` holds the replacement released in an unlock until confirmed."""

    __tablename__ = "ukeys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_serial: Mapped[str] = mapped_column(String(32), unique=True)
    driver: Mapped[UKeyDriver] = mapped_column(str_enum(UKeyDriver, 16))
    so_pin_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    pending_so_pin_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:  # never print sealed secrets
        return f"UKeyRow(key_serial={self.key_serial!r}, driver={self.driver.value!r})"


hashed_by(HolderRow.id_number, HolderRow.id_number_hash)  # one holder per ID number
