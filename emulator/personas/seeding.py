"""Put a scenario into the service's database: organisations, holders, certificates,
U-KEYs and CA staff. Idempotent: seeding twice leaves the same rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy.orm import Session

from emulator.personas.ca import TestCA
from emulator.personas.issuing import issue_certificate, subject_dn
from emulator.personas.model import PersonaCertificate, Scenario
from szca_unlock.domain.certificates import Certificate, Holder, Organisation, normalise_serial
from szca_unlock.store import Database, NotFound, StaffRole, UKeyDriver
from szca_unlock.store.passwords import hash_password, verify_password
from szca_unlock.store.repo_access import get_staff_user, upsert_staff_user
from szca_unlock.store.repo_pki import get_certificate_by_serial, upsert_certificate, upsert_ukey


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


def _has_der(session: Session, serial_hex: str) -> bool:
    try:
        return get_certificate_by_serial(session, serial_hex).der is not None
    except NotFound:
        return False


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
    sealed = dict(sealed_so_pins or {})
    issued_here = 0
    with db.session() as session:
        for persona in scenario.certificates:
            serial = normalise_serial(persona.serial_hex)
            der = ders.get(serial)
            if der is None and not _has_der(session, serial):
                stand_in = ec.generate_private_key(ec.SECP256R1()).public_key()
                der = issue_certificate(ca, persona, stand_in)
                issued_here += 1
            upsert_certificate(session, domain_certificate(persona, der), der=der,
                               applicant_mobile=persona.applicant_mobile)
            upsert_ukey(session, persona.key_serial, UKeyDriver(persona.driver),
                        so_pin_sealed=sealed.get(persona.key_serial))
        _seed_staff(session, scenario)
    return SeedReport(len(scenario.certificates), len({c.key_serial for c in
                                                        scenario.certificates}),
                      len(scenario.staff), issued_here)
