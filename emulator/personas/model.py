"""Typed personas of a scenario: people, companies, certificates on keys, CA staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from szca_unlock.domain.certificates import CertificateKind, CertificateStatus


@dataclass(frozen=True)
class Person:
    """Someone the providers know: carrier real-name (name+id+mobile), a bank card with its
    reserved mobile, and a face record (liveness passes) unless ``face`` is False."""

    key: str
    name: str
    id_number: str
    mobile: str
    bank_card: str | None = None
    bank_mobile: str | None = None  # the bank-reserved mobile; defaults to ``mobile``
    bank_name: str = "中国工商银行"
    face: bool = True
    carrier: bool = True  # False: the carrier holds no real-name record for this mobile
    email: str | None = None
    title: str | None = None  # 职务, for the ORG-MR operator form

    @property
    def reserved_mobile(self) -> str:
        return self.bank_mobile or self.mobile

    def __repr__(self) -> str:
        return f"Person(key={self.key!r}, name={self.name!r})"


@dataclass(frozen=True)
class CorporateAccount:
    bank: str
    branch: str
    account_no: str
    account_name: str  # always the company name (the deposit goes to the company itself)


@dataclass(frozen=True)
class Company:
    key: str
    name: str
    uscc: str
    legal_rep: Person
    operator: Person
    account: CorporateAccount
    province: str = "广东省"
    city: str = "深圳市"
    address: str = ""


@dataclass(frozen=True)
class PersonaCertificate:
    """A certificate to issue onto a virtual U-KEY (``key_serial``) with its initial PIN."""

    key: str
    kind: CertificateKind
    serial_hex: str
    key_serial: str
    applicant_mobile: str
    not_before: datetime
    not_after: datetime
    medical: bool = False
    status: CertificateStatus = CertificateStatus.VALID
    company: Company | None = None
    holder: Person | None = None
    driver: str = "pcsc"
    pin: str = "123456"

    @property
    def common_name(self) -> str:
        if self.kind is CertificateKind.ORG:
            assert self.company is not None
            return self.company.name
        assert self.holder is not None
        return self.holder.name


@dataclass(frozen=True)
class StaffPersona:
    username: str
    password: str
    display_name: str
    role: str = "reviewer"

    def __repr__(self) -> str:  # keep the password out of test output
        return f"StaffPersona(username={self.username!r}, role={self.role!r})"


@dataclass(frozen=True)
class Scenario:
    name: str
    seed: int
    people: dict[str, Person]
    companies: dict[str, Company]
    certificates: tuple[PersonaCertificate, ...]
    staff: tuple[StaffPersona, ...]

    def certificate(self, key: str) -> PersonaCertificate:
        """A persona certificate by its YAML id (``KeyError`` names the known ids)."""
        for cert in self.certificates:
            if cert.key == key:
                return cert
        raise KeyError(f"no certificate {key!r}; known: {[c.key for c in self.certificates]}")

    def certificate_by_serial(self, serial_hex: str) -> PersonaCertificate:
        wanted = serial_hex.upper().lstrip("0")
        for cert in self.certificates:
            if cert.serial_hex.upper().lstrip("0") == wanted:
                return cert
        raise KeyError(f"no certificate with serial {serial_hex}")
