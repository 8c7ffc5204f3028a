"""Put a scenario into the service's database: organisations, holders, certificates,
U-KEYs and CA staff. Idempotent: seeding twice leaves the same rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select
from sqlalchemy.orm import Session

from emulator.personas.ca import TestCA
from emulator.personas.issuing import issue_certificate, subject_dn
from emulator.personas.model import PersonaCertificate, Scenario
from szca_unlock.domain.certificates import Certificate, Holder, Organisation, normalise_serial
from szca_unlock.store import Database, NotFound, StaffRole, UKeyDriver
from szca_unlock.store.models import CertificateRow
from szca_unlock.store.passwords import hash_password, verify_password
from szca_unlock.store.repo_access import get_staff_user, upsert_staff_user
from szca_unlock.store.repo_pki import (
    CertificateUpsert,
    UKeyUpsert,
    upsert_certificates,
    upsert_ukeys,
)


class SeedError(ValueError):
    """A certificate handed to the seeder does not match its persona."""


@dataclass(frozen=True)
class SeedReport:
    certificates: int
    ukeys: int
    staff: int
    issued_here: int  # certificates without a card DER, issued for a stand-in key


def domain_certificate(persona: PersonaCertificate, der: bytes | None) -> Certificate:
    """The certificate as the service will see it; dates and DN come from the DER if given."""
    org = persona.company
    dn, not_before, not_after = subject_dn(persona), persona.not_before, persona.not_after
    if der is not None:
        parsed = x509.load_der_x509_certificate(der)
        if normalise_serial(f"{parsed.serial_number:X}") != normalise_serial(persona.serial_hex):
            raise SeedError(f"certificate {persona.key}: the DER has another serial")
        dn = parsed.subject.rfc4514_string()
        not_before = parsed.not_valid_before_utc.astimezone(UTC)
        not_after = parsed.not_valid_after_utc.astimezone(UTC)
    return Certificate(
        serial_hex=normalise_serial(persona.serial_hex), subject_dn=dn, kind=persona.kind,
        medical=persona.medical, not_before=not_before, not_after=not_after,
        status=persona.status, key_serial=persona.key_serial,
        organisation=None if org is None else Organisation(
            org.name, org.uscc, org.legal_rep.name, org.legal_rep.id_number),
        holder=None if persona.holder is None else Holder(persona.holder.name,
                                                          persona.holder.id_number))


def _stored_ders(session: Session, serials: list[str]) -> dict[str, bytes]:
    rows = session.execute(select(CertificateRow.serial_hex, CertificateRow.der).where(
        CertificateRow.serial_hex.in_(serials), CertificateRow.der.is_not(None)))
    return {serial: der for serial, der in rows if der is not None}


def _seed_staff(session: Session, scenario: Scenario) -> None:
    for staff in scenario.staff:
        try:
            stored = get_staff_user(session, staff.username).password_hash
        except NotFound:
            stored = ""
        # Re-hash only when the password changed: a fresh salt each run is a needless write.
        password_hash = stored if verify_password(staff.password, stored) else hash_password(
            staff.password)
        upsert_staff_user(session, staff.username, password_hash,
                          display_name=staff.display_name, role=StaffRole(staff.role))


def seed_database(db: Database, scenario: Scenario, ca: TestCA,
                  cert_ders: Mapping[str, bytes] | None = None, *,
                  sealed_so_pins: Mapping[str, bytes] | None = None) -> SeedReport:
    """Store every persona of ``scenario`` in one transaction.

    ``cert_ders`` maps certificate serials (any notation) to the DER issued onto the
    persona's virtual U-KEY; a certificate without one gets a DER for a throw-away key, once
    (so lookups still show a real certificate), and keeps it on later runs.
    ``sealed_so_pins`` maps key serials of PKCS#11 tokens to their sealed SO PIN.
    """
    ders = {normalise_serial(k): v for k, v in (cert_ders or {}).items()}
    issued_here = 0
    sealed = dict(sealed_so_pins or {})
    serials = [normalise_serial(p.serial_hex) for p in scenario.certificates]
    with db.session() as session:
        # A DER stored by an earlier run stays, and the row keeps agreeing with it.
        ders = {**_stored_ders(session, [s for s in serials if s not in ders]), **ders}
        for persona, serial in zip(scenario.certificates, serials, strict=True):
            if serial not in ders:
                stand_in = ec.generate_private_key(ec.SECP256R1()).public_key()
                ders[serial] = issue_certificate(ca, persona, stand_in)
                issued_here += 1
        upsert_certificates(session, [
            CertificateUpsert(domain_certificate(p, ders.get(s)), ders.get(s),
                              p.applicant_mobile)
            for p, s in zip(scenario.certificates, serials, strict=True)])
        upsert_ukeys(session, [UKeyUpsert(p.key_serial, UKeyDriver(p.driver),
                                          sealed.get(p.key_serial))
                               for p in scenario.certificates])
        _seed_staff(session, scenario)
    key_serials = {c.key_serial for c in scenario.certificates}
    return SeedReport(len(scenario.certificates), len(key_serials), len(scenario.staff),
                      issued_here)


def seed_in_chunks(db: Database, chunks: Iterable[tuple[Scenario, Mapping[str, bytes]]], ca: TestCA,
                   on_chunk: Callable[[int], None] | None = None) -> SeedReport:
    """``seed_database`` one chunk per transaction: a million certificates in the memory of
    one chunk (``emulator.personas.bulk.iter_population``). ``on_chunk`` gets the running
    count after each commit. Staff come from the chunks' scenarios like any persona."""
    certificates = ukeys = staff = issued = 0
    for scenario, ders in chunks:
        report = seed_database(db, scenario, ca, ders)
        certificates += report.certificates
        ukeys += report.ukeys
        staff += report.staff
        issued += report.issued_here
        if on_chunk is not None:
            on_chunk(certificates)
    return SeedReport(certificates, ukeys, staff, issued)
