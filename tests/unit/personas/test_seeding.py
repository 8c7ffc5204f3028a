"""Seeding the service database from a scenario (and the DERs on the virtual cards)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import func, select

from emulator.personas import Scenario, TestCA, issue_certificate, seed_database
from emulator.personas.seeding import SeedError
from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.store import Database, UKeyDriver
from szca_unlock.store.models import CertificateRow, HolderRow, OrganisationRow, UKeyRow
from szca_unlock.store.passwords import verify_password
from szca_unlock.store.repo_access import get_staff_user
from szca_unlock.store.repo_pki import certificate_from_row, get_certificate_by_serial, get_ukey


def _counts(db: Database) -> list[int]:
    with db.session(readonly=True) as s:
        return [s.scalar(select(func.count()).select_from(t)) or 0
                for t in (CertificateRow, OrganisationRow, HolderRow, UKeyRow)]


def test_seeding_twice_is_idempotent(persona_db: Database, test_ca: TestCA,
                                     default_scenario: Scenario) -> None:
    first = seed_database(persona_db, default_scenario, test_ca)
    counts = _counts(persona_db)
    with persona_db.session(readonly=True) as s:
        der = get_certificate_by_serial(s, "5A1C0E2B7D3F0003").der
        staff_hash = get_staff_user(s, "reviewer1").password_hash
    second = seed_database(persona_db, default_scenario, test_ca)
    # 8 certificates, 1 company, 6 holders (the company's people hold none), 8 keys
    assert counts == _counts(persona_db) == [8, 1, 6, 8]
    assert (first.issued_here, second.issued_here) == (8, 0)
    with persona_db.session(readonly=True) as s:
        assert get_certificate_by_serial(s, "5A1C0E2B7D3F0003").der == der
        assert get_staff_user(s, "reviewer1").password_hash == staff_hash


def test_card_der_is_stored_with_its_dates(persona_db: Database, test_ca: TestCA,
                                          default_scenario: Scenario) -> None:
    persona = default_scenario.certificate("org_personal")
    der = issue_certificate(test_ca, persona, ec.generate_private_key(ec.SECP256R1()).public_key())
    seed_database(persona_db, default_scenario, test_ca, {"5a:1c:0e:2b:7d:3f:00:02": der})
    with persona_db.session(readonly=True) as s:
        row = get_certificate_by_serial(s, persona.serial_hex)
        cert = certificate_from_row(row)
    assert row.der == der
    assert row.applicant_mobile == "17234165382"
    assert cert.kind is CertificateKind.ORG_PERSONAL
    assert cert.organisation is not None and cert.organisation.uscc == "914403048FU52TUK74"
    assert cert.holder is not None and cert.holder.name == "吴泽萍"
    assert cert.not_after == x509.load_der_x509_certificate(der).not_valid_after_utc
    assert cert.subject_dn.startswith("CN=吴泽萍,")


def test_seeded_rules_match_the_personas(persona_db: Database, test_ca: TestCA,
                                         default_scenario: Scenario) -> None:
    seed_database(persona_db, default_scenario, test_ca)
    now = datetime.now(UTC)
    with persona_db.session(readonly=True) as s:
        def usable(serial: str) -> bool:
            return certificate_from_row(get_certificate_by_serial(s, serial)).is_unlockable(now)
        assert usable("5A1C0E2B7D3F0001")
        assert not usable("5A1C0E2B7D3F0006")  # revoked
        assert not usable("5A1C0E2B7D3F0007")  # expired
        assert certificate_from_row(get_certificate_by_serial(s, "5A1C0E2B7D3F0004")).medical
        assert get_ukey(s, "SZ2025000005").driver is UKeyDriver.PKCS11
        reviewer = get_staff_user(s, "reviewer1")
    assert verify_password("Szca-Review-2026", reviewer.password_hash)
    assert not verify_password("wrong", reviewer.password_hash)


def test_der_of_another_certificate_is_refused(persona_db: Database, test_ca: TestCA,
                                               default_scenario: Scenario) -> None:
    other = issue_certificate(test_ca, default_scenario.certificate("natural"),
                              ec.generate_private_key(ec.SECP256R1()).public_key())
    with pytest.raises(SeedError):
        seed_database(persona_db, default_scenario, test_ca, {"5A1C0E2B7D3F0001": other})
    assert _counts(persona_db) == [0, 0, 0, 0]  # one transaction: nothing half-seeded
