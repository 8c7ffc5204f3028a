"""Test personas and the test PKI: one scenario file seeds the database, issues the
certificates onto virtual U-KEYs and loads the mock providers' identity records."""

from emulator.personas.ca import TestCA
from emulator.personas.issuing import issue_certificate, issuer_for, subject_dn, subject_name
from emulator.personas.loader import (
    ScenarioError,
    load_scenario,
    parse_scenario,
    provider_records,
)
from emulator.personas.model import (
    Company,
    CorporateAccount,
    Person,
    PersonaCertificate,
    Scenario,
    StaffPersona,
)
from emulator.personas.seeding import SeedReport, seed_database

__all__ = [
    "Company",
    "CorporateAccount",
    "Person",
    "PersonaCertificate",
    "Scenario",
    "ScenarioError",
    "SeedReport",
    "StaffPersona",
    "TestCA",
    "issue_certificate",
    "issuer_for",
    "load_scenario",
    "parse_scenario",
    "provider_records",
    "seed_database",
    "subject_dn",
    "subject_name",
]
