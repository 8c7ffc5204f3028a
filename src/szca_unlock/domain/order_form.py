"""What an order keeps beside its state: the manual-review application form (ORG-MR-5 for
an organisation certificate, PER-MR-5 for a personal one), its printed PDF, the review
deadline's kind, the approval SMS, and (real-time ORG) the confirmed authorisation letter.

The store keeps it as one JSON object per order (``orders.form``); ``from_json`` and
``to_json`` are the only places that know that shape, and ``from_json`` reads every row
written so far (missing keys are "not yet", unknown keys are ignored).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from dataclasses import fields as dataclass_fields
from datetime import datetime
from typing import Any


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value)


def _optional_time(data: Mapping[str, Any], key: str) -> datetime | None:
    value = data.get(key)
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _mapping(data: Mapping[str, Any], key: str) -> Mapping[str, Any] | None:
    value = data.get(key)
    return value if isinstance(value, Mapping) else None


@dataclass(frozen=True, slots=True)
class OrgApplication:
    """ORG-MR-5, validated and normalised: the organisation and its operator (经办人)."""

    org_name: str
    org_id_type: str
    org_id_number: str
    fee: int
    province: str
    city: str
    address: str
    operator_name: str
    operator_id_number: str
    operator_mobile: str
    operator_title: str
    operator_email: str

    @property
    def contact_mobile(self) -> str:
        return self.operator_mobile

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OrgApplication:
        return cls(org_name=_text(data, "org_name"), org_id_type=_text(data, "org_id_type"),
                   org_id_number=_text(data, "org_id_number"), fee=int(data.get("fee") or 0),
                   province=_text(data, "province"), city=_text(data, "city"),
                   address=_text(data, "address"), operator_name=_text(data, "operator_name"),
                   operator_id_number=_text(data, "operator_id_number"),
                   operator_mobile=_text(data, "operator_mobile"),
                   operator_title=_text(data, "operator_title"),
                   operator_email=_text(data, "operator_email"))


@dataclass(frozen=True, slots=True)
class PersonalApplication:
    """PER-MR-5, validated and normalised: the certificate holder (申请人)."""

    applicant_name: str
    applicant_id_number: str
    applicant_mobile: str

    @property
    def contact_mobile(self) -> str:
        return self.applicant_mobile

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PersonalApplication:
        return cls(applicant_name=_text(data, "applicant_name"),
                   applicant_id_number=_text(data, "applicant_id_number"),
                   applicant_mobile=_text(data, "applicant_mobile"))


Application = OrgApplication | PersonalApplication
ORG_FIELDS = tuple(f.name for f in dataclass_fields(OrgApplication))
PERSONAL_FIELDS = tuple(f.name for f in dataclass_fields(PersonalApplication))


def application_from_json(data: Mapping[str, Any] | None) -> Application | None:
    if not data:
        return None
    return (OrgApplication.from_json(data) if "org_name" in data
            else PersonalApplication.from_json(data))


@dataclass(frozen=True, slots=True)
class ApplicationDraft:
    """The form as the applicant sent it, before validation: any field may be missing, and
    those of the other kind of certificate must be (the logic says which is wrong)."""

    org_name: str | None = None
    org_id_type: str | None = None
    org_id_number: str | None = None
    fee: str | int | None = None
    province: str | None = None
    city: str | None = None
    address: str | None = None
    operator_name: str | None = None
    operator_id_number: str | None = None
    operator_mobile: str | None = None
    operator_title: str | None = None
    operator_email: str | None = None
    applicant_name: str | None = None
    applicant_id_number: str | None = None
    applicant_mobile: str | None = None


@dataclass(frozen=True, slots=True)
class StoredPdf:
    """The application form PDF rendered for one form revision (content address)."""

    revision: int
    sha256: str


@dataclass(frozen=True, slots=True)
class ApprovalSms:
    """The PER-MR-7 approval SMS: sent or not (and why not)."""

    sent: bool
    at: datetime
    error: str | None = None


@dataclass(frozen=True, slots=True)
class LetterConfirmation:
    """ORG-RT-7: which version of the authorisation letter was confirmed, and when."""

    version: str
    confirmed_at: datetime


@dataclass(frozen=True, slots=True)
class OrderForm:
    fields: Application | None = None
    revision: int = 0  # one up on every change of ``fields``
    saved_at: datetime | None = None
    pdf: StoredPdf | None = None  # of ``revision`` only: an edit clears it
    deadline_estimated: bool = False  # the review deadline ran past the holiday data
    approval_sms: ApprovalSms | None = None
    authorization_letter: LetterConfirmation | None = None

    @property
    def pdf_of_revision(self) -> StoredPdf | None:
        """The stored PDF, if it was rendered from the current revision."""
        return self.pdf if self.pdf is not None and self.pdf.revision == self.revision else None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"revision": self.revision,
                                "deadline_estimated": self.deadline_estimated}
        if self.fields is not None:
            data["fields"] = self.fields.to_json()
        if self.saved_at is not None:
            data["saved_at"] = self.saved_at.isoformat()
        if self.pdf is not None:
            data["pdf"] = {"revision": self.pdf.revision, "sha256": self.pdf.sha256}
        if self.approval_sms is not None:
            sms = self.approval_sms
            data["approval_sms"] = {"sent": sms.sent, "at": sms.at.isoformat(),
                                    "error": sms.error}
        if self.authorization_letter is not None:
            letter = self.authorization_letter
            data["authorization_letter"] = {"version": letter.version,
                                            "confirmed_at": letter.confirmed_at.isoformat()}
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> OrderForm:
        data = data or {}
        pdf = _mapping(data, "pdf")
        sms = _mapping(data, "approval_sms")
        letter = _mapping(data, "authorization_letter")
        sms_at = _optional_time(sms, "at") if sms else None
        letter_at = _optional_time(letter, "confirmed_at") if letter else None
        return cls(
            fields=application_from_json(_mapping(data, "fields")),
            revision=int(data.get("revision") or 0),
            saved_at=_optional_time(data, "saved_at"),
            pdf=(StoredPdf(int(pdf.get("revision") or 0), _text(pdf, "sha256"))
                 if pdf and pdf.get("sha256") else None),
            deadline_estimated=bool(data.get("deadline_estimated")),
            approval_sms=(ApprovalSms(bool(sms.get("sent")), sms_at, _text(sms, "error") or None)
                          if sms and sms_at else None),
            authorization_letter=(LetterConfirmation(_text(letter, "version"), letter_at)
                                  if letter and letter_at else None))
