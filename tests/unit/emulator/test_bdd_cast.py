"""The BDD suite's cast generator: every scenario gets people, companies, certificates and an
address no other scenario has (so a deployment's 60 s resend rule, one-open-order rule and
per-address limits never see two scenarios as one user), and every number is one the
service's validators accept (GB 11643 ID check character, GB 32100 USCC, Luhn)."""

from __future__ import annotations

import ipaddress
from collections import Counter
from collections.abc import Iterator

import httpx

from emulator.bdd.cast import ForwardedFor, client_address
from emulator.bdd.personas import fresh_scenario
from emulator.personas import Scenario
from szca_unlock.domain.validators import (
    validate_bank_card,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
)

CASTS = [fresh_scenario(seed) for seed in range(40)]


def _identifiers(cast: Scenario) -> Iterator[tuple[str, str]]:
    """(kind, value) of everything a deployment keys a rule or a record on (names may repeat,
    as in life: nothing is keyed on a name)."""
    for person in cast.people.values():
        yield "id_number", person.id_number
        for mobile in {person.mobile, person.reserved_mobile}:
            yield "mobile", mobile
        if person.bank_card:
            yield "bank_card", person.bank_card
    for company in cast.companies.values():
        yield "uscc", company.uscc
        yield "account", company.account.account_no
    for certificate in cast.certificates:
        yield "serial", certificate.serial_hex.upper()
        yield "key_serial", certificate.key_serial
    for staff in cast.staff:
        yield "staff", staff.username
    yield "address", client_address(cast.seed)


def test_no_two_casts_share_a_mobile_id_card_uscc_serial_account_or_address() -> None:
    owners: dict[tuple[str, str], set[int]] = {}
    for cast in CASTS:
        for identifier in _identifiers(cast):
            owners.setdefault(identifier, set()).add(cast.seed)
    shared = {k: v for k, v in owners.items() if len(v) > 1}
    assert not shared, shared


def test_within_a_cast_each_person_has_own_numbers_and_a_distinct_reserved_mobile() -> None:
    for cast in CASTS:
        counts = Counter(v for k, v in _identifiers(cast) if k in ("mobile", "id_number"))
        assert max(counts.values()) == 1, counts.most_common(3)
        for role in ("legal_rep", "operator", "employee", "citizen"):
            person = cast.people[role]
            assert person.reserved_mobile != person.mobile, role


def test_every_number_passes_the_services_validators() -> None:
    for cast in CASTS:
        for person in cast.people.values():
            validate_resident_id(person.id_number)  # raises on a wrong check character
            assert validate_mobile(person.mobile) == person.mobile
            assert validate_mobile(person.reserved_mobile) == person.reserved_mobile
            if person.bank_card:
                assert validate_bank_card(person.bank_card) == person.bank_card
        for company in cast.companies.values():
            assert validate_uscc(company.uscc) == company.uscc


def test_a_fresh_cast_comes_from_a_fresh_seed() -> None:
    seeds = {fresh_scenario().seed for _ in range(20)}
    assert len(seeds) == 20


def test_the_scenario_address_is_private_and_sent_as_forwarded_for() -> None:
    address = client_address(12345)
    assert address == client_address(12345)  # the same cast, the same user
    assert ipaddress.ip_address(address) in ipaddress.ip_network("10.0.0.0/8")
    seen: list[str | None] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("X-Forwarded-For"))
        return httpx.Response(204)

    transport = ForwardedFor(address, inner=httpx.MockTransport(answer))
    with httpx.Client(transport=transport, base_url="http://service.test") as client:
        client.get("/api/health")
        client.post("/api/auth/sms-code", json={})
    assert seen == [address, address]
