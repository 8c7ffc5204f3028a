"""``load_scenario(path) -> Scenario`` and ``provider_records(scenario)``.

A scenario YAML may spell every value out or leave any personal number, name or serial to
the seeded generators; either way every value is checked by the product's own validators,
so a persona the service would refuse never reaches a test.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml

from emulator.personas import generate as gen
from emulator.personas.issuing import issue_certificate, issuer_for, subject_dn
from emulator.personas.model import (
    Company,
    CorporateAccount,
    Person,
    PersonaCertificate,
    Scenario,
    StaffPersona,
)
from emulator.personas.seeding import seed_database
from szca_unlock.domain.certificates import CertificateKind, CertificateStatus
from szca_unlock.domain.errors import DomainError
from szca_unlock.domain.validators import (
    Gender,
    validate_bank_card,
    validate_mobile,
    validate_person_name,
    validate_resident_id,
    validate_uscc,
)

__all__ = ["ScenarioError", "issue_certificate", "issuer_for", "load_scenario",
           "parse_scenario", "provider_records", "seed_database", "subject_dn"]

DEFAULT_VALIDITY = {"starts_days_ago": 180, "days": 730}


class ScenarioError(ValueError):
    """The scenario file is wrong; the message names the persona and field (never the value)."""


def _checked(where: str, validate: Callable[..., Any], value: Any) -> Any:
    try:
        return validate(value)
    except DomainError as exc:
        raise ScenarioError(f"{where}: {exc.message}") from None


class _Parser:
    def __init__(self, raw: Mapping[str, Any], today: date) -> None:
        self.raw = raw
        self.seed = int(raw.get("seed", 0))
        self.today = datetime.combine(today, time(), UTC)
        self.validity = {**DEFAULT_VALIDITY, **(raw.get("validity") or {})}
        self.people: dict[str, Person] = {}

    def rng(self, *parts: str) -> Any:
        return gen.rng_for(self.seed, *parts)

    def person(self, key: str, spec: Mapping[str, Any]) -> Person:
        where = f"people.{key}"
        gender = Gender(spec["gender"]) if "gender" in spec else (
            gen.gender_of(spec["id_number"]) if "id_number" in spec
            else self.rng(key, "gender").choice(list(Gender)))
        id_number = str(spec.get("id_number") or gen.resident_id(self.rng(key, "id"), gender))
        id_number = _checked(f"{where}.id_number", validate_resident_id, id_number).number
        name = spec.get("name") or gen.person_name(self.rng(key, "name"), gen.gender_of(id_number))
        mobile = str(spec.get("mobile") or gen.mobile(self.rng(key, "mobile")))
        card = spec.get("bank_card", "generate")
        card = gen.bank_card(self.rng(key, "card")) if card == "generate" else card
        bank_mobile = spec.get("bank_mobile")
        return Person(
            key=key, name=_checked(f"{where}.name", validate_person_name, name),
            id_number=id_number, mobile=_checked(f"{where}.mobile", validate_mobile, mobile),
            bank_card=None if card is None else _checked(f"{where}.bank_card",
                                                         validate_bank_card, str(card)),
            bank_mobile=None if bank_mobile is None else _checked(
                f"{where}.bank_mobile", validate_mobile, str(bank_mobile)),
            bank_name=spec.get("bank_name", "中国工商银行"), face=bool(spec.get("face", True)),
            carrier=bool(spec.get("carrier", True)), email=spec.get("email"),
            title=spec.get("title"))

    def ref(self, where: str, key: Any) -> Person:
        if key not in self.people:
            raise ScenarioError(f"{where}: unknown person {key!r}")
        return self.people[key]

    def company(self, key: str, spec: Mapping[str, Any]) -> Company:
        where = f"companies.{key}"
        name = spec.get("name") or gen.company_name(self.rng(key, "name"))
        account = spec.get("account") or {}
        return Company(
            key=key, name=name,
            uscc=_checked(f"{where}.uscc", validate_uscc,
                          str(spec.get("uscc") or gen.uscc(self.rng(key, "uscc")))),
            legal_rep=self.ref(f"{where}.legal_rep", spec.get("legal_rep")),
            operator=self.ref(f"{where}.operator", spec.get("operator")),
            account=CorporateAccount(
                bank=account.get("bank", "中国工商银行"),
                branch=account.get("branch", "中国工商银行深圳福田支行"),
                account_no=str(account.get("account_no")
                               or gen.account_no(self.rng(key, "account"))),
                account_name=name),
            province=spec.get("province", "广东省"), city=spec.get("city", "深圳市"),
            address=spec.get("address", ""))

    def certificate(self, spec: Mapping[str, Any], companies: Mapping[str, Company]
                    ) -> PersonaCertificate:
        key = str(spec.get("id") or "")
        where = f"certificates.{key or '?'}"
        if not key:
            raise ScenarioError(f"{where}: every certificate needs an id")
        try:
            kind = CertificateKind(spec["kind"])
        except (KeyError, ValueError):
            raise ScenarioError(f"{where}.kind: one of {[k.value for k in CertificateKind]}"
                                ) from None
        company = holder = None
        if kind.needs_organisation:
            if spec.get("company") not in companies:
                raise ScenarioError(f"{where}.company: unknown company {spec.get('company')!r}")
            company = companies[spec["company"]]
        elif "company" in spec:
            raise ScenarioError(f"{where}.company: a {kind.value} certificate has no company")
        if kind.is_personal:
            holder = self.ref(f"{where}.holder", spec.get("holder"))
        validity = {**self.validity, **(spec.get("validity") or {})}
        not_before = self.today - timedelta(days=int(validity["starts_days_ago"]))
        default_mobile = company.operator.mobile if company and not holder else (
            holder.mobile if holder else "")
        return PersonaCertificate(
            key=key, kind=kind,
            serial_hex=str(spec.get("serial") or gen.serial_hex(self.rng(key, "serial"))).upper(),
            key_serial=str(spec.get("key_serial") or gen.key_serial(self.rng(key, "key"))),
            applicant_mobile=_checked(f"{where}.applicant_mobile", validate_mobile,
                                      str(spec.get("applicant_mobile") or default_mobile)),
            not_before=not_before, not_after=not_before + timedelta(days=int(validity["days"])),
            medical=bool(spec.get("medical", False)),
            status=CertificateStatus(spec.get("status", "valid")), company=company,
            holder=holder, driver=str(spec.get("driver", "pcsc")), pin=str(spec.get("pin",
                                                                                    "123456")))

    def scenario(self) -> Scenario:
        for key, spec in (self.raw.get("people") or {}).items():
            self.people[str(key)] = self.person(str(key), spec or {})
        companies = {str(k): self.company(str(k), v or {})
                     for k, v in (self.raw.get("companies") or {}).items()}
        certs = tuple(self.certificate(spec, companies)
                      for spec in self.raw.get("certificates") or ())
        for attr in ("key", "serial_hex", "key_serial"):
            counts = Counter(getattr(c, attr) for c in certs)
            duplicates = sorted(v for v, n in counts.items() if n > 1)
            if duplicates:
                raise ScenarioError(f"certificates: duplicate {attr} {duplicates}")
        staff = tuple(StaffPersona(str(s["username"]), str(s["password"]),
                                   str(s.get("display_name", s["username"])),
                                   str(s.get("role", "reviewer")))
                      for s in self.raw.get("staff") or ())
        return Scenario(str(self.raw.get("name", "unnamed")), self.seed, dict(self.people),
                        companies, certs, staff)


def parse_scenario(raw: Mapping[str, Any], *, today: date | None = None) -> Scenario:
    """A scenario from already-parsed YAML; validity dates count back from ``today`` (UTC)."""
    return _Parser(raw, today or datetime.now(UTC).date()).scenario()


def load_scenario(path: Path | str, *, today: date | None = None) -> Scenario:
    """Read and check a scenario file (the shipped ones: ``emulator.scenarios``)."""
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh) or {}
    if not isinstance(raw, Mapping):
        raise ScenarioError(f"{path}: the top level must be a mapping")
    return parse_scenario(raw, today=today)


def provider_records(scenario: Scenario) -> dict[str, list[dict[str, str]]]:
    """What the mock carrier, banks, face database and corporate banks must know."""
    people = sorted(scenario.people.values(), key=lambda p: p.key)
    return {
        "carrier": [{"name": p.name, "id_number": p.id_number, "mobile": p.mobile}
                    for p in people if p.carrier],
        "bank": [{"name": p.name, "id_number": p.id_number, "card_number": p.bank_card,
                  "mobile": p.reserved_mobile, "bank_name": p.bank_name}
                 for p in people if p.bank_card],
        "face": [{"name": p.name, "id_number": p.id_number} for p in people if p.face],
        "corporate_accounts": [
            {"company_name": c.account.account_name, "bank_name": c.account.bank,
             "branch_name": c.account.branch, "account_number": c.account.account_no}
            for c in scenario.companies.values()],
    }
