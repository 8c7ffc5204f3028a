"""A small CA world for the service flow tests: an organisation certificate, an
organisation-personal and a natural-person certificate, each with people the mock
providers know (carrier, bank, face records, corporate account)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from szca_unlock.domain.certificates import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    Holder,
    Organisation,
)
from szca_unlock.identities import make_bank_card, make_mobile, make_resident_id, make_uscc
from szca_unlock.store.repo_pki import upsert_certificate

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    mobile: str
    bank_card: str

    def carrier_record(self) -> dict[str, str]:
        return {"name": self.name, "id_number": self.id_number, "mobile": self.mobile}

    def bank_record(self) -> dict[str, str]:
        return {"name": self.name, "id_number": self.id_number, "card_number": self.bank_card,
                "mobile": self.mobile}

    def face_record(self) -> dict[str, str]:
        return {"name": self.name, "id_number": self.id_number}


@dataclass(frozen=True)
class Company:
    name: str
    uscc: str
    legal_rep: Person
    operator: Person
    bank_name: str
    branch_name: str
    account_number: str


@dataclass(frozen=True)
class World:
    company: Company
    org_serial: str
    holders: dict[CertificateKind, Person]
    personal_serials: dict[CertificateKind, str]
    revoked_serial: str
    expired_serial: str
    key_serials: dict[str, str]  # certificate serial -> key serial

    def provider_records(self) -> dict[str, list[dict[str, str]]]:
        people = [self.company.legal_rep, self.company.operator, *self.holders.values()]
        return {
            "carrier": [p.carrier_record() for p in people],
            "bank": [p.bank_record() for p in people],
            "face": [p.face_record() for p in people],
            "corporate_accounts": [{"company_name": self.company.name,
                                    "bank_name": self.company.bank_name,
                                    "branch_name": self.company.branch_name,
                                    "account_number": self.company.account_number}],
        }


_NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强"]


def _person(rng: random.Random, name: str) -> Person:
    return Person(name, make_resident_id(rng), make_mobile(rng), make_bank_card(rng))


def build_world(seed: int = 7) -> World:
    rng = random.Random(seed)
    names = iter(_NAMES)
    company = Company("深圳市前海测试科技有限公司", make_uscc(rng), _person(rng, next(names)),
                      _person(rng, next(names)), "中国工商银行", "深圳前海支行",
                      "4000" + "".join(rng.choice("0123456789") for _ in range(12)))
    holders = {CertificateKind.ORG_PERSONAL: _person(rng, next(names)),
               CertificateKind.NATURAL: _person(rng, next(names))}
    serials = {kind: f"{rng.getrandbits(64):016X}" for kind in CertificateKind}
    return World(company, serials[CertificateKind.ORG], holders,
                 {k: serials[k] for k in holders}, f"{rng.getrandbits(64):016X}",
                 f"{rng.getrandbits(64):016X}",
                 {s: f"SZ{rng.randrange(10**10):010d}" for s in serials.values()})


def seed_world(db: Session, world: World) -> None:
    company = world.company
    org = Organisation(company.name, company.uscc, company.legal_rep.name,
                       company.legal_rep.id_number)
    valid_from, valid_to = NOW - timedelta(days=200), NOW + timedelta(days=165)

    def cert(serial: str, kind: CertificateKind, holder: Person | None, *,
             status: CertificateStatus = CertificateStatus.VALID,
             not_after: datetime = valid_to) -> None:
        cn = holder.name if holder else company.name
        upsert_certificate(db, Certificate(
            serial_hex=serial, subject_dn=f"CN={cn},O={company.name},L=深圳市,ST=广东省,C=CN",
            kind=kind, medical=False, not_before=valid_from, not_after=not_after, status=status,
            key_serial=world.key_serials.get(serial, "SZ0000000000"),
            organisation=org if kind.needs_organisation else None,
            holder=Holder(holder.name, holder.id_number) if holder else None))

    cert(world.org_serial, CertificateKind.ORG, None)
    for kind, person in world.holders.items():
        cert(world.personal_serials[kind], kind, person)
    cert(world.revoked_serial, CertificateKind.ORG, None, status=CertificateStatus.REVOKED)
    cert(world.expired_serial, CertificateKind.ORG, None, not_after=NOW - timedelta(days=1))
