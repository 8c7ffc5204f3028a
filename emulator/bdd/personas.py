"""A fresh cast for every BDD scenario: the default scenario's roles with every value left out,
so names, ID numbers, mobiles, cards, USCC and serials come from a new seed.

Only the roles the features use: a company (legal representative, operator, corporate account)
with two organisation certificates (C-6), an employee with an organisation-personal
certificate, a citizen, a doctor with a medical certificate, and a reviewer. The legal
representative, operator, employee and citizen each have a bank-reserved mobile that differs
from their real-name one.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from emulator.personas import Scenario, parse_scenario
from emulator.personas.generate import mobile, rng_for

# The certificate kinds as the features name them → the persona certificate id.
CERTIFICATE_BY_LABEL = {
    "机构证书": "org",
    "机构个人证书": "org_personal",
    "自然人证书": "natural",
    "医疗类自然人证书": "medical",
}
# Who holds each persona certificate's key and logs in for it.
HOLDER_OF = {"org": "operator", "org2": "operator", "org_personal": "employee",
             "natural": "citizen", "medical": "doctor"}


def fresh_scenario(seed: int | None = None, today: date | None = None) -> Scenario:
    seed = secrets.randbits(48) if seed is None else seed
    raw: dict[str, Any] = {
        "name": f"bdd-{seed}",
        "seed": seed,
        # Valid from three years back to seven ahead: scenarios that stand the service's
        # clock on a date of 2025-2026 (review deadlines) still see valid certificates.
        "validity": {"starts_days_ago": 1100, "days": 3650},
        # Every bank customer reserves a mobile of their own at the bank, so a step can
        # tell "sent to the reserved mobile" from "sent to the real-name one".
        "people": {
            "legal_rep": {"bank_mobile": _reserved(seed, "legal_rep")},
            "operator": {"email": f"operator{seed}@bdd-test.example", "title": "行政专员",
                         "bank_mobile": _reserved(seed, "operator")},
            "employee": {"bank_mobile": _reserved(seed, "employee")},
            "citizen": {"bank_mobile": _reserved(seed, "citizen")},
            "doctor": {},
        },
        "companies": {"company": {"legal_rep": "legal_rep", "operator": "operator",
                                  "address": "深圳市南山区科技园科苑路15号"}},
        "certificates": [
            {"id": "org", "kind": "org", "company": "company"},
            {"id": "org2", "kind": "org", "company": "company"},
            {"id": "org_personal", "kind": "org_personal", "company": "company",
             "holder": "employee"},
            {"id": "natural", "kind": "natural", "holder": "citizen"},
            {"id": "medical", "kind": "natural", "holder": "doctor", "medical": True},
        ],
        "staff": [{"username": f"reviewer{seed}", "password": secrets.token_urlsafe(12),
                   "display_name": "审核员", "role": "reviewer"}],
    }
    return parse_scenario(raw, today=today)


def _reserved(seed: int, role: str) -> str:
    return mobile(rng_for(seed, role, "bank_mobile"))
