"""Organisations, holders, certificates and U-KEYs: upserts (used by seeding and the CA's
own tooling) and the lookups the unlock flow needs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from szca_unlock.domain.certificates import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    Holder,
    Organisation,
    normalise_serial,
)
from szca_unlock.store.base import utcnow
from szca_unlock.store.enums import UKeyDriver
from szca_unlock.store.errors import NotFound
from szca_unlock.store.models_pki import CertificateRow, HolderRow, OrganisationRow, UKeyRow


def upsert_organisation(session: Session, org: Organisation) -> OrganisationRow:
    """The organisation with ``org.uscc``, created or updated to match ``org``."""
    row = session.scalar(select(OrganisationRow).where(OrganisationRow.uscc == org.uscc))
    if row is None:
        row = OrganisationRow(uscc=org.uscc, created_at=utcnow())
        session.add(row)
    row.name = org.name
    row.legal_rep_name = org.legal_rep_name
    row.legal_rep_id_number = org.legal_rep_id_number
    session.flush()
    return row


def upsert_holder(session: Session, holder: Holder) -> HolderRow:
    row = session.scalar(select(HolderRow).where(HolderRow.id_number == holder.id_number))
    if row is None:
        row = HolderRow(id_number=holder.id_number, created_at=utcnow())
        session.add(row)
    row.name = holder.name
    session.flush()
    return row


def upsert_certificate(session: Session, cert: Certificate, *, der: bytes | None = None,
                       applicant_mobile: str | None = None) -> CertificateRow:
    """Store ``cert`` (and its organisation/holder) keyed by its serial; idempotent."""
    serial = normalise_serial(cert.serial_hex)
    row = session.scalar(select(CertificateRow).where(CertificateRow.serial_hex == serial))
    if row is None:
        row = CertificateRow(serial_hex=serial, created_at=utcnow())
        session.add(row)
    row.kind = cert.kind
    row.medical = cert.medical
    row.subject_dn = cert.subject_dn
    row.not_before = cert.not_before
    row.not_after = cert.not_after
    row.status = cert.status
    row.key_serial = cert.key_serial
    org, holder = cert.organisation, cert.holder
    row.organisation = upsert_organisation(session, org) if org else None
    row.holder = upsert_holder(session, holder) if holder else None
    if der is not None:
        row.der = der
    if applicant_mobile is not None:
        row.applicant_mobile = applicant_mobile
    session.flush()
    return row


def get_certificate_by_serial(session: Session, serial: str) -> CertificateRow:
    """The certificate a user typed the serial of (C-2), in any notation."""
    row = session.scalar(select(CertificateRow).where(
        CertificateRow.serial_hex == normalise_serial(serial)))
    if row is None:
        raise NotFound("certificate", "未找到该证书,请核对证书序列号后重新输入",
                       "certificate_serial")
    return row


def list_certificates_by_key(session: Session, key_serial: str) -> list[CertificateRow]:
    return list(session.scalars(select(CertificateRow).where(
        CertificateRow.key_serial == key_serial).order_by(CertificateRow.id)))


def set_certificate_status(session: Session, serial: str, status: CertificateStatus) -> None:
    get_certificate_by_serial(session, serial).status = status
    session.flush()


def certificate_from_row(row: CertificateRow) -> Certificate:
    """The domain value of a stored certificate (what the unlock rules are asked about)."""
    org = row.organisation
    holder = row.holder
    return Certificate(
        serial_hex=row.serial_hex, subject_dn=row.subject_dn, kind=CertificateKind(row.kind),
        medical=row.medical, not_before=row.not_before, not_after=row.not_after,
        status=CertificateStatus(row.status), key_serial=row.key_serial,
        organisation=None if org is None else Organisation(
            org.name, org.uscc, org.legal_rep_name, org.legal_rep_id_number),
        holder=None if holder is None else Holder(holder.name, holder.id_number))


def upsert_ukey(session: Session, key_serial: str, driver: UKeyDriver, *,
                so_pin_sealed: bytes | None = None, now: datetime | None = None) -> UKeyRow:
    """Register a token; a given ``so_pin_sealed`` replaces the stored one."""
    now = now or utcnow()
    row = session.scalar(select(UKeyRow).where(UKeyRow.key_serial == key_serial))
    if row is None:
        row = UKeyRow(key_serial=key_serial, created_at=now)
        session.add(row)
    row.driver = driver
    row.updated_at = now
    if so_pin_sealed is not None:
        row.so_pin_sealed = so_pin_sealed
    session.flush()
    return row


def get_ukey(session: Session, key_serial: str) -> UKeyRow:
    row = session.scalar(select(UKeyRow).where(UKeyRow.key_serial == key_serial))
    if row is None:
        raise NotFound("ukey", "未找到该U-KEY的登记信息,请联系深圳CA客服 400-112-3838")
    return row


def set_pending_so_pin(session: Session, key_serial: str, sealed: bytes,
                       now: datetime | None = None) -> None:
    """Park the replacement SO PIN released in an unlock until the agent confirms it."""
    row = get_ukey(session, key_serial)
    row.pending_so_pin_sealed = sealed
    row.updated_at = now or utcnow()
    session.flush()


def commit_pending_so_pin(session: Session, key_serial: str,
                          now: datetime | None = None) -> None:
    """The token now has the pending SO PIN: make it the current one."""
    row = get_ukey(session, key_serial)
    if row.pending_so_pin_sealed is None:
        raise NotFound("pending_so_pin", "没有待确认的解锁操作,请重新发起解锁")
    row.so_pin_sealed, row.pending_so_pin_sealed = row.pending_so_pin_sealed, None
    row.updated_at = now or utcnow()
    session.flush()
