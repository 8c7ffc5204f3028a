"""The load-test population: valid, reproducible, chained to the CA, seeded in one go."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from cryptography import x509
from sqlalchemy import func, select

from emulator.personas import TestCA, seed_database
from emulator.personas.bulk import BulkSettings, generate_population
from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.domain.validators import validate_bank_card, validate_resident_id
from szca_unlock.store import Database
from szca_unlock.store.models import CertificateRow

SCENARIOS = Path(__file__).resolve().parents[3] / "scenarios"


def test_population_mix_keys_and_chain(test_ca: TestCA) -> None:
    settings = BulkSettings(count=300, seed=5, certs_per_key=50)
    population = generate_population(settings, test_ca)
    certs = population.scenario.certificates
    kinds = Counter(c.kind for c in certs)
    assert sum(kinds.values()) == 300 and set(kinds) == set(CertificateKind)
    assert any(c.medical for c in certs)
    assert len(population.keys) == 6  # 300 certificates / 50 per key pair
    for i in (0, 149, 299):
        der = x509.load_der_x509_certificate(population.ders[certs[i].serial_hex])
        der.verify_directly_issued_by(test_ca.issuing_cert)
        assert der.public_key() == population.key_for(i, 50).public_key()
    for person in population.scenario.people.values():
        validate_resident_id(person.id_number)
        validate_bank_card(person.bank_card)
    assert all(c.key_serial.startswith("SZ9") and len(c.key_serial) == 12 for c in certs)


def test_population_is_reproducible(test_ca: TestCA) -> None:
    a = generate_population(BulkSettings(count=50, seed=9), test_ca).scenario
    b = generate_population(BulkSettings(count=50, seed=9), test_ca).scenario
    assert a.people == b.people and [c.kind for c in a.certificates] == [
        c.kind for c in b.certificates]


def test_population_seeds_idempotently(persona_db: Database, test_ca: TestCA) -> None:
    population = generate_population(BulkSettings(count=200, seed=2), test_ca)
    for _ in range(2):
        report = seed_database(persona_db, population.scenario, test_ca, population.ders)
        assert report.issued_here == 0
    with persona_db.session(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(CertificateRow)) == 200


def test_load_yaml_settings_parse() -> None:
    settings = BulkSettings.from_yaml(SCENARIOS / "load.yaml")
    assert settings.count == 5000 and settings.certs_per_key == 100
