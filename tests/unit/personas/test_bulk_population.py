"""The load-test population: valid, reproducible, chained to the CA, seeded in one go."""

from __future__ import annotations

from collections import Counter

from cryptography import x509
from sqlalchemy import func, select

from emulator.personas import TestCA, seed_database
from emulator.personas.bulk import BulkSettings, generate_population, iter_population
from emulator.personas.seeding import seed_in_chunks
from emulator.scenarios import LOAD_SCENARIO
from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.domain.validators import validate_bank_card, validate_resident_id
from szca_unlock.store import Database
from szca_unlock.store.models import CertificateRow


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
    settings = BulkSettings.from_yaml(LOAD_SCENARIO)
    assert settings.count == 5000 and settings.certs_per_key == 100


def test_the_population_in_chunks_is_the_same_population(test_ca: TestCA) -> None:
    settings = BulkSettings(count=130, seed=4, certs_per_key=10, people_per_company=5)
    whole = generate_population(settings, test_ca).scenario
    chunks = list(iter_population(settings, test_ca, chunk_size=40))
    assert [len(c.scenario.certificates) for c in chunks] == [40, 40, 40, 10]
    assert [c for chunk in chunks for c in chunk.scenario.certificates] == list(
        whole.certificates)
    people = {k: v for chunk in chunks for k, v in chunk.scenario.people.items()}
    assert people == whole.people
    # a company and a key pair never span two chunks
    assert sum(len(chunk.scenario.companies) for chunk in chunks) == len(whole.companies)
    assert [len(chunk.keys) for chunk in chunks] == [4, 4, 4, 1]


def test_chunked_seeding_commits_chunk_by_chunk(persona_db: Database, test_ca: TestCA) -> None:
    settings = BulkSettings(count=60, seed=3, certs_per_key=10)
    committed: list[int] = []

    def after_commit(done: int) -> None:
        with persona_db.session(readonly=True) as s:  # another transaction sees the rows
            committed.append(s.scalar(select(func.count()).select_from(CertificateRow)) or 0)
        assert committed[-1] == done

    chunks = ((p.scenario, p.ders) for p in iter_population(settings, test_ca, chunk_size=20))
    report = seed_in_chunks(persona_db, chunks, test_ca, on_chunk=after_commit)
    assert (report.certificates, report.issued_here, committed) == (60, 0, [20, 40, 60])
