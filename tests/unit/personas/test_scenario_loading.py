"""Scenario files load into typed personas that the product's validators accept."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import yaml

from emulator.mock_providers.records import IdentityRecords
from emulator.personas import Scenario, ScenarioError, parse_scenario, provider_records
from emulator.scenarios import DEFAULT_SCENARIO
from szca_unlock.domain.certificates import CertificateKind, CertificateStatus
from szca_unlock.domain.validators import (
    validate_bank_card,
    validate_mobile,
    validate_person_name,
    validate_resident_id,
    validate_uscc,
)


def _raw() -> dict:
    return yaml.safe_load(DEFAULT_SCENARIO.read_text(encoding="utf-8"))


def test_default_scenario_has_one_persona_per_flow(default_scenario: Scenario) -> None:
    kinds = {(c.kind, c.medical) for c in default_scenario.certificates}
    assert {(CertificateKind.ORG, False), (CertificateKind.ORG_PERSONAL, False),
            (CertificateKind.NATURAL, False), (CertificateKind.NATURAL, True)} <= kinds
    org = default_scenario.certificate("org")
    assert org.company is not None and org.company.account.account_name == org.company.name
    assert org.applicant_mobile == org.company.operator.mobile
    assert default_scenario.certificate("revoked").status is CertificateStatus.REVOKED
    assert [s.role for s in default_scenario.staff] == ["reviewer", "reviewer"]
    assert all(c.key_serial.startswith("SZ") and len(c.key_serial) == 12
               for c in default_scenario.certificates)


def test_every_person_and_company_passes_the_validators(default_scenario: Scenario) -> None:
    for person in default_scenario.people.values():
        validate_person_name(person.name)
        validate_resident_id(person.id_number)
        validate_mobile(person.mobile)
        validate_mobile(person.reserved_mobile)
        assert person.bank_card is not None
        validate_bank_card(person.bank_card)
    for company in default_scenario.companies.values():
        validate_uscc(company.uscc)


def test_expired_certificate_is_expired_today(default_scenario: Scenario) -> None:
    now = datetime.now(UTC)
    assert default_scenario.certificate("expired").not_after < now
    assert default_scenario.certificate("natural").not_after > now


def test_generated_values_are_reproducible_and_seed_dependent() -> None:
    raw = {"seed": 7, "people": {f"p{i}": {} for i in range(40)}}
    first, again = parse_scenario(raw), parse_scenario(raw)
    assert first.people == again.people
    other = parse_scenario({**raw, "seed": 8})
    assert other.people["p0"].id_number != first.people["p0"].id_number
    for person in first.people.values():  # Faker names and identities.py numbers
        validate_person_name(person.name)
        validate_resident_id(person.id_number)
        validate_mobile(person.mobile)
        validate_bank_card(person.bank_card)


def test_adding_a_persona_does_not_change_the_others() -> None:
    small = parse_scenario({"seed": 3, "people": {"a": {}, "b": {}}})
    large = parse_scenario({"seed": 3, "people": {"x": {}, "a": {}, "b": {}}})
    assert small.people["a"] == large.people["a"]


def test_gender_of_generated_id_follows_the_request() -> None:
    people = parse_scenario({"seed": 1, "people": {f"w{i}": {"gender": "female"}
                                                   for i in range(20)}}).people
    assert all(int(p.id_number[16]) % 2 == 0 for p in people.values())


def test_validity_counts_back_from_today() -> None:
    raw = _raw()
    scenario = parse_scenario(raw, today=date(2030, 1, 1))
    cert = scenario.certificate("org")
    assert cert.not_before == datetime(2029, 7, 5, tzinfo=UTC)  # 180 days earlier
    assert (cert.not_after - cert.not_before).days == 730


def test_invalid_id_is_refused_naming_the_field_not_the_value() -> None:
    raw = _raw()
    raw["people"]["operator"]["id_number"] = "440305199103062328"  # wrong check digit
    with pytest.raises(ScenarioError) as info:
        parse_scenario(raw)
    assert "people.operator.id_number" in str(info.value)
    assert "440305199103062328" not in str(info.value)


@pytest.mark.parametrize(("edit", "fragment"), [
    (lambda r: r["certificates"][0].update(company="nope"), "unknown company"),
    (lambda r: r["certificates"][1].update(holder="ghost"), "unknown person 'ghost'"),
    (lambda r: r["certificates"][1].update(serial="5A1C0E2B7D3F0001"), "duplicate serial_hex"),
    (lambda r: r["certificates"][2].update(company="pengcheng"), "has no company"),
    (lambda r: r["certificates"][2].update(kind="robot"), ".kind"),
])
def test_inconsistent_scenarios_are_refused(edit, fragment: str) -> None:  # type: ignore[no-untyped-def]
    raw = _raw()
    edit(raw)
    with pytest.raises(ScenarioError, match=fragment.replace(".", r"\.")):
        parse_scenario(raw)


def test_provider_records_feed_the_mock_providers(default_scenario: Scenario) -> None:
    records = provider_records(default_scenario)
    carrier_mobiles = {r["mobile"] for r in records["carrier"]}
    no_carrier = default_scenario.people["no_carrier_record"]
    assert no_carrier.mobile not in carrier_mobiles  # FAQ-1 persona
    citizen = default_scenario.people["citizen"]
    bank = {r["card_number"]: r for r in records["bank"]}[citizen.bank_card]
    assert bank["mobile"] == citizen.bank_mobile != citizen.mobile
    [account] = records["corporate_accounts"]
    assert account["company_name"] == "深圳市鹏城数智科技有限公司"
    counts = IdentityRecords().seed(records)
    assert counts == {kind: len(items) for kind, items in records.items()}
