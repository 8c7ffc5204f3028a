"""The load population: thousands of personas from ``emulator.personas.bulk``, saved once
by the runner and read by every Locust process (master and workers).

Accounts are what a virtual user leases: one login mobile and what it works on. Each
account gets a fixed index (its loopback source address and its worker partition).
"""

from __future__ import annotations

import pickle
import random
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from emulator.personas import Company, Person, PersonaCertificate, Scenario, TestCA
from emulator.personas.bulk import BulkSettings, generate_population
from emulator.personas.identities import make_mobile
from szca_unlock.domain.certificates import CertificateKind

STORM_EXTRA_MOBILES = 5000  # SMS-login-storm mobiles beyond the population's own people


@dataclass(frozen=True)
class Account:
    index: int
    mobile: str
    key_index: int = -1  # which of the population's key pairs the certificate's key is
    certificate: PersonaCertificate | None = None
    company: Company | None = None
    holder: Person | None = None


@dataclass(frozen=True)
class LoadPopulation:
    scenario: Scenario
    ders: dict[str, bytes]  # certificate serial hex -> DER
    key_pems: list[bytes]  # PKCS#8; key_pems[i // certs_per_key] is certificate i's key
    certs_per_key: int
    storm_mobiles: tuple[str, ...]

    def private_key(self, key_index: int) -> ec.EllipticCurvePrivateKey:
        return _load_key(self.key_pems[key_index])

    def accounts(self) -> dict[str, list[Account]]:
        """Accounts per pool: ``org`` (operator of a company with an ORG certificate),
        ``personal`` (holder of an org-personal or natural certificate), ``storm``."""
        org: dict[str, Account] = {}
        personal: list[Account] = []
        index = 0
        for position, cert in enumerate(self.scenario.certificates):
            key_index = position // self.certs_per_key
            if cert.kind is CertificateKind.ORG:
                assert cert.company is not None
                if cert.company.key in org:
                    continue  # one login per company: its operator works one order at a time
                org[cert.company.key] = Account(index, cert.company.operator.mobile, key_index,
                                                cert, company=cert.company)
            else:
                assert cert.holder is not None
                personal.append(Account(index, cert.holder.mobile, key_index, cert,
                                        holder=cert.holder))
            index += 1
        reps = [c.legal_rep.mobile for c in self.scenario.companies.values()]
        storm = [Account(index + i, m) for i, m in enumerate([*reps, *self.storm_mobiles])]
        return {"org": list(org.values()), "personal": personal, "storm": storm}


@lru_cache(maxsize=256)
def _load_key(pem: bytes) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise TypeError("population keys are EC P-256")
    return key


def build_population(settings: BulkSettings, ca: TestCA, *,
                     today: date | None = None) -> LoadPopulation:
    made = generate_population(settings, ca, today=today)
    pems = [k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()) for k in made.keys]
    known = {p.mobile for p in made.scenario.people.values()}
    rng = random.Random(f"{settings.seed}/storm")
    storm: list[str] = []
    while len(storm) < STORM_EXTRA_MOBILES:
        mobile = make_mobile(rng)
        if mobile not in known:
            known.add(mobile)
            storm.append(mobile)
    return LoadPopulation(made.scenario, made.ders, pems, settings.certs_per_key, tuple(storm))


def save_population(population: LoadPopulation, path: Path) -> None:
    """Our own test data for our own processes: pickle is the fast way to share it."""
    path.write_bytes(pickle.dumps(population, protocol=pickle.HIGHEST_PROTOCOL))


def load_population(path: Path) -> LoadPopulation:
    population = pickle.loads(path.read_bytes())
    if not isinstance(population, LoadPopulation):
        raise TypeError(f"{path} does not hold a load population")
    return population
