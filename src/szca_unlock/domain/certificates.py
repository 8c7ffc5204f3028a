"""Certificates as the unlock service sees them: kind, medical flag, holder, validity.

Pure values: the store maps its rows onto these, the service asks them whether an
unlock may go ahead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from szca_unlock.domain.errors import DomainError, ValidationError


class CertificateKind(StrEnum):
    """The three certificate families of the manual; each has its own unlock flow."""

    ORG = "org"
    ORG_PERSONAL = "org_personal"
    NATURAL = "natural"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def is_personal(self) -> bool:
        """Personal certificates (机构个人/自然人) share the PER-* flows."""
        return self is not CertificateKind.ORG

    @property
    def needs_organisation(self) -> bool:
        return self is not CertificateKind.NATURAL


_KIND_LABELS = {
    CertificateKind.ORG: "机构证书",
    CertificateKind.ORG_PERSONAL: "机构个人证书",
    CertificateKind.NATURAL: "自然人证书",
}


class CertificateStatus(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"

    @property
    def label(self) -> str:
        return "有效" if self is CertificateStatus.VALID else "已吊销"


_SERIAL_SEPARATORS = re.compile(r"[\s:\-]")
_HEX = re.compile(r"^[0-9A-F]+$")


def normalise_serial(text: str) -> str:
    """The canonical form of a typed certificate serial: upper-case hex, no separators,
    no leading zeros (so ``0a:1b`` and ``A1B`` find the same certificate)."""
    cleaned = _SERIAL_SEPARATORS.sub("", text).upper()
    if not cleaned or not _HEX.match(cleaned) or len(cleaned) > 40:
        raise ValidationError("certificate.serial_format",
                              "证书序列号格式不正确，请核对后重新输入", "certificate_serial")
    return cleaned.lstrip("0") or "0"


class CertificateNotUnlockable(DomainError):
    """The certificate exists but its state forbids an unlock (revoked, not yet valid,
    expired): a fact about the value typed, so 422 like a format error."""

    status = 422


@dataclass(frozen=True)
class Organisation:
    """The company behind an ORG or ORG_PERSONAL certificate."""

    name: str
    uscc: str
    legal_rep_name: str
    legal_rep_id_number: str

    def __repr__(self) -> str:  # never leak the legal representative's ID number
        return f"Organisation(name={self.name!r}, uscc={self.uscc!r})"


@dataclass(frozen=True)
class Holder:
    """The natural person named in a personal certificate."""

    name: str
    id_number: str

    def __repr__(self) -> str:
        return f"Holder(name={self.name!r}, id_number='***{self.id_number[-4:]}')"


@dataclass(frozen=True)
class Certificate:
    serial_hex: str
    subject_dn: str
    kind: CertificateKind
    medical: bool
    not_before: datetime
    not_after: datetime
    status: CertificateStatus
    key_serial: str
    organisation: Organisation | None = None
    holder: Holder | None = None

    def __post_init__(self) -> None:
        # These are programming errors in whoever builds the value, not user errors.
        if self.kind.needs_organisation and self.organisation is None:
            raise ValueError(f"{self.kind.label} needs an organisation")
        if self.kind.is_personal and self.holder is None:
            raise ValueError(f"{self.kind.label} needs a holder")
        if self.not_after <= self.not_before:
            raise ValueError("not_after must be later than not_before")

    @property
    def type_label(self) -> str:
        """What the result screen shows as 证书类型, e.g. ``机构个人证书(医疗类)``."""
        return f"{self.kind.label}（医疗类）" if self.medical else self.kind.label

    def check_unlockable(self, now: datetime) -> None:
        """Raise a ``DomainError`` the user can act on unless the certificate may be unlocked."""
        field = "certificate_serial"
        if self.status is CertificateStatus.REVOKED:
            raise CertificateNotUnlockable(
                "certificate.revoked",
                "该证书已吊销，无法解锁。如有疑问请联系深圳CA客服 400-112-3838", field)
        if now < self.not_before:
            raise CertificateNotUnlockable("certificate.not_yet_valid",
                                           "该证书尚未生效，无法解锁", field)
        if now >= self.not_after:
            raise CertificateNotUnlockable(
                "certificate.expired",
                f"该证书已于{self.not_after:%Y-%m-%d}过期，无法解锁，请办理证书更新", field)

    def is_unlockable(self, now: datetime) -> bool:
        try:
            self.check_unlockable(now)
        except DomainError:
            return False
        return True
