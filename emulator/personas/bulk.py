"""Thousands of holders and certificates in seconds, for load tests.

The population is a normal ``Scenario`` (built through the same parser, so every number
passes the validators), with sequential serials and key serials so it never collides with
hand-written personas: certificate serials ``7E…`` and key serials ``SZ9`` + 9 digits.
Signing keys are the expensive part and load tests never use them for a card, so one
software P-256 key pair is shared by ``certs_per_key`` certificates (documented in
docs/decisions/orders.md); the private keys are returned for tests that want to sign.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from cryptography.hazmat.primitives.asymmetric import ec

from emulator.personas import generate as gen
from emulator.personas.ca import TestCA
from emulator.personas.issuing import issue_certificate
from emulator.personas.loader import parse_scenario
from emulator.personas.model import Scenario

SERIAL_BASE = 0x7E << 56
KEY_SERIAL_PREFIX = "SZ9"


@dataclass(frozen=True)
class BulkSettings:
    count: int = 1000
    seed: int = 1
    # Share of certificate kinds; the rest of the population is natural persons.
    org_share: float = 0.2
    org_personal_share: float = 0.3
    medical_share: float = 0.1  # of the personal certificates
    people_per_company: int = 5  # organisation-personal holders per company
    certs_per_key: int = 100
    validity: dict[str, int] = field(default_factory=lambda: {"starts_days_ago": 90,
                                                              "days": 730})

    @classmethod
    def from_yaml(cls, path: Path | str) -> BulkSettings:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        return cls(**raw.get("bulk", raw))


@dataclass(frozen=True)
class Population:
    scenario: Scenario
    ders: dict[str, bytes]  # serial hex -> DER
    keys: list[ec.EllipticCurvePrivateKey]  # keys[i // certs_per_key] signs certificate i

    def key_for(self, index: int, certs_per_key: int) -> ec.EllipticCurvePrivateKey:
        return self.keys[index // certs_per_key]


def _raw_chunks(settings: BulkSettings, chunk_size: int) -> Iterator[dict[str, Any]]:
    """The population as scenario dicts of about ``chunk_size`` certificates each, drawn
    from one RNG stream: the concatenation is the same population whatever the chunk size.
    Chunks end on a company boundary, so no company spans two chunks."""
    rng = gen.rng_for(settings.seed, "bulk")
    size = max(1, -(-chunk_size // settings.people_per_company)) * settings.people_per_company
    for first in range(0, settings.count, size):
        people: dict[str, dict[str, Any]] = {}
        companies: dict[str, dict[str, Any]] = {}
        certs: list[dict[str, Any]] = []
        for i in range(first, min(first + size, settings.count)):
            cert: dict[str, Any] = {"id": f"bulk{i}", "serial": f"{SERIAL_BASE + i:X}",
                                    "key_serial": f"{KEY_SERIAL_PREFIX}{i:09d}"}
            draw = rng.random()
            company = f"co{i // settings.people_per_company}"
            if draw < settings.org_share or (
                    draw < settings.org_share + settings.org_personal_share
                    and company not in companies):
                people[f"{company}_rep"], people[f"{company}_op"] = {}, {}
                companies[company] = {"legal_rep": f"{company}_rep",
                                      "operator": f"{company}_op"}
            if draw < settings.org_share:
                cert.update(kind="org", company=company)
            else:
                people[f"h{i}"] = {}
                personal = draw < settings.org_share + settings.org_personal_share
                cert.update(kind="org_personal" if personal else "natural", holder=f"h{i}",
                            medical=rng.random() < settings.medical_share)
                if personal:
                    cert["company"] = company
            certs.append(cert)
        yield {"name": f"bulk-{settings.count}", "seed": settings.seed,
               "validity": settings.validity, "people": people, "companies": companies,
               "certificates": certs}


def iter_population(settings: BulkSettings, ca: TestCA, *, chunk_size: int = 5000,
                    today: date | None = None) -> Iterator[Population]:
    """The population in chunks (each validated and issued on its own), for seeding a
    million certificates in bounded memory. Chunk ``k`` holds certificates from
    ``k * chunk_size`` (rounded to whole companies and to whole key pairs)."""
    size = _lcm(chunk_size, settings.certs_per_key, settings.people_per_company)
    for raw in _raw_chunks(settings, size):
        scenario = parse_scenario(raw, today=today)
        keys: list[ec.EllipticCurvePrivateKey] = []
        ders: dict[str, bytes] = {}
        for i, cert in enumerate(scenario.certificates):
            if i % settings.certs_per_key == 0:
                keys.append(ec.generate_private_key(ec.SECP256R1()))
            ders[cert.serial_hex] = issue_certificate(ca, cert, keys[-1].public_key())
        yield Population(scenario, ders, keys)


def _lcm(size: int, *multiples: int) -> int:
    """The smallest multiple of every ``multiples`` that is at least ``size``."""
    step = 1
    for m in multiples:
        step = step * m // math.gcd(step, m)
    return max(1, -(-size // step)) * step


def generate_population(settings: BulkSettings, ca: TestCA, *,
                        today: date | None = None) -> Population:
    """Build, validate and issue the whole population (no database, no cards)."""
    chunks = list(iter_population(settings, ca, chunk_size=max(1, settings.count),
                                  today=today))
    if len(chunks) == 1:
        return chunks[0]
    return Population(Scenario(f"bulk-{settings.count}", settings.seed, {}, {}, (), ()),
                      {}, [])  # count == 0
