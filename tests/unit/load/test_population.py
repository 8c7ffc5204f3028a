"""Load accounts: distinct mobiles per pool, one login per company, workers share nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator.personas import TestCA
from emulator.personas.bulk import BulkSettings
from load.context import partitioned
from load.population import LoadPopulation, build_population, load_population, save_population


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> LoadPopulation:
    ca = TestCA.load_or_create(tmp_path_factory.mktemp("ca") / "ca")
    return build_population(BulkSettings(count=300, seed=7, certs_per_key=50), ca)


def test_every_pool_has_distinct_mobiles_and_indices(population: LoadPopulation) -> None:
    pools = population.accounts()
    every = [a for accounts in pools.values() for a in accounts]
    assert len({a.index for a in every}) == len(every)
    for name, accounts in pools.items():
        assert len({a.mobile for a in accounts}) == len(accounts), name
    holders = {a.mobile for a in pools["personal"]} | {a.mobile for a in pools["org"]}
    assert not holders & {a.mobile for a in pools["storm"]}


def test_org_accounts_are_one_operator_per_company(population: LoadPopulation) -> None:
    org = population.accounts()["org"]
    assert org and len({a.company.key for a in org if a.company}) == len(org)
    for account in org:
        assert account.company is not None and account.certificate is not None
        assert account.mobile == account.company.operator.mobile
        assert account.certificate.company == account.company


def test_each_certificate_key_signs_its_certificate(population: LoadPopulation) -> None:
    from cryptography import x509

    for account in population.accounts()["personal"][:5]:
        assert account.certificate is not None
        der = population.ders[account.certificate.serial_hex]
        public = x509.load_der_x509_certificate(der).public_key()
        assert public == population.private_key(account.key_index).public_key()


def test_workers_split_the_accounts_without_overlap(population: LoadPopulation) -> None:
    accounts = population.accounts()["personal"]
    parts = [partitioned(accounts, k, 3) for k in range(3)]
    assert sorted(a.index for p in parts for a in p) == sorted(a.index for a in accounts)
    assert all(parts)


def test_saved_population_reads_back(population: LoadPopulation, tmp_path: Path) -> None:
    path = tmp_path / "population.pickle"
    save_population(population, path)
    again = load_population(path)
    assert again.accounts() == population.accounts() and again.ders == population.ders
