"""Organisations, holders, certificates and U-KEYs: upserts (used by seeding and the CA's
own tooling) and the lookups the unlock flow needs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

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

_CHUNK = 500  # keys per IN (...) query, well under every backend's parameter limit

K = TypeVar("K")
R = TypeVar("R", OrganisationRow, HolderRow, CertificateRow, UKeyRow)


def _rows_by(session: Session, model: type[R], column: Any, keys: Iterable[K], *,
             by: Any = None) -> dict[K, R]:
    """Existing rows whose ``column`` is one of ``keys``, keyed by that value (by the
    plaintext ``by`` when ``column`` is its lookup hash)."""
    wanted = list(dict.fromkeys(keys))
    key = (by if by is not None else column).key
    found: dict[K, R] = {}
    for i in range(0, len(wanted), _CHUNK):
        for row in session.scalars(select(model).where(column.in_(wanted[i:i + _CHUNK]))):
            found[getattr(row, key)] = row
    return found


@dataclass(frozen=True)
class CertificateUpsert:
    """One certificate to store, with its DER and applicant mobile when known (a ``None``
    keeps what is stored)."""

    certificate: Certificate
    der: bytes | None = None
    applicant_mobile: str | None = None


def upsert_certificates(session: Session,
                        items: Sequence[CertificateUpsert]) -> list[CertificateRow]:
    """Store certificates with their organisations and holders, keyed by serial, USCC and
    ID number; idempotent. Three lookups for the whole batch, so thousands take seconds."""
    now = utcnow()
    certs = [i.certificate for i in items]
    serials = [normalise_serial(c.serial_hex) for c in certs]
    by_serial = _rows_by(session, CertificateRow, CertificateRow.serial_hex, serials)
    orgs = _rows_by(session, OrganisationRow, OrganisationRow.uscc,
                    (c.organisation.uscc for c in certs if c.organisation))
    holders = _rows_by(session, HolderRow, HolderRow.id_number_hash,
                       (c.holder.id_number for c in certs if c.holder), by=HolderRow.id_number)
    rows = []
    for item, serial in zip(items, serials, strict=True):
        cert, org, holder = item.certificate, item.certificate.organisation, item.certificate.holder
        row = by_serial.get(serial)
        if row is None:
            row = by_serial[serial] = CertificateRow(serial_hex=serial, created_at=now)
            session.add(row)
        row.kind, row.medical, row.subject_dn = cert.kind, cert.medical, cert.subject_dn
        row.not_before, row.not_after = cert.not_before, cert.not_after
        row.status, row.key_serial = cert.status, cert.key_serial
        row.organisation = None if org is None else _org_row(session, orgs, org, now)
        row.holder = None if holder is None else _holder_row(session, holders, holder, now)
        if item.der is not None:
            row.der = item.der
        if item.applicant_mobile is not None:
            row.applicant_mobile = item.applicant_mobile
        rows.append(row)
    session.flush()
    return rows


def _org_row(session: Session, cache: dict[str, OrganisationRow], org: Organisation,
             now: datetime) -> OrganisationRow:
    row = cache.get(org.uscc)
    if row is None:
        row = cache[org.uscc] = OrganisationRow(uscc=org.uscc, created_at=now)
        session.add(row)
    row.name, row.legal_rep_name = org.name, org.legal_rep_name
    row.legal_rep_id_number = org.legal_rep_id_number
    return row


def _holder_row(session: Session, cache: dict[str, HolderRow], holder: Holder,
                now: datetime) -> HolderRow:
    row = cache.get(holder.id_number)
    if row is None:
        row = cache[holder.id_number] = HolderRow(id_number=holder.id_number, created_at=now)
        session.add(row)
    row.name = holder.name
    return row


def upsert_certificate(session: Session, cert: Certificate, *, der: bytes | None = None,
                       applicant_mobile: str | None = None) -> CertificateRow:
    """Store one certificate (and its organisation/holder) keyed by its serial; idempotent."""
    return upsert_certificates(session, [CertificateUpsert(cert, der, applicant_mobile)])[0]


def get_certificate_by_serial(session: Session, serial: str) -> CertificateRow:
    """The certificate a user typed the serial of (C-2), in any notation."""
    row = session.scalar(select(CertificateRow).where(
        CertificateRow.serial_hex == normalise_serial(serial)))
    if row is None:
        raise NotFound("certificate", "未找到该证书，请核对证书序列号后重新输入",
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


@dataclass(frozen=True)
class UKeyUpsert:
    key_serial: str
    driver: UKeyDriver
    so_pin_sealed: bytes | None = None  # None keeps the stored one


def upsert_ukeys(session: Session, items: Sequence[UKeyUpsert],
                 now: datetime | None = None) -> list[UKeyRow]:
    """Register tokens by key serial; idempotent, one lookup for the batch."""
    now = now or utcnow()
    existing = _rows_by(session, UKeyRow, UKeyRow.key_serial, (i.key_serial for i in items))
    rows = []
    for item in items:
        row = existing.get(item.key_serial)
        if row is None:
            row = existing[item.key_serial] = UKeyRow(key_serial=item.key_serial, created_at=now)
            session.add(row)
        row.driver, row.updated_at = item.driver, now
        if item.so_pin_sealed is not None:
            row.so_pin_sealed = item.so_pin_sealed
        rows.append(row)
    session.flush()
    return rows


def upsert_ukey(session: Session, key_serial: str, driver: UKeyDriver, *,
                so_pin_sealed: bytes | None = None, now: datetime | None = None) -> UKeyRow:
    """Register one token; a given ``so_pin_sealed`` replaces the stored one."""
    return upsert_ukeys(session, [UKeyUpsert(key_serial, driver, so_pin_sealed)], now)[0]


def get_ukey(session: Session, key_serial: str, *, for_update: bool = False) -> UKeyRow:
    """``for_update``: lock the row until the transaction ends (PostgreSQL; SQLite's write
    transactions are serial anyway), e.g. to release an SO PIN at most once."""
    query = select(UKeyRow).where(UKeyRow.key_serial == key_serial)
    row = session.scalar(query.with_for_update() if for_update else query)
    if row is None:
        raise NotFound("ukey", "未找到该U-KEY的登记信息，请联系深圳CA客服 400-112-3838")
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
        raise NotFound("pending_so_pin", "没有待确认的解锁操作，请重新发起解锁")
    row.so_pin_sealed, row.pending_so_pin_sealed = row.pending_so_pin_sealed, None
    row.updated_at = now or utcnow()
    session.flush()
