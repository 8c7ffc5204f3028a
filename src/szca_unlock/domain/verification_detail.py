"""What one identity check keeps beside its status: the person checked, what the check's
provider answered, the SMS code (its hash) and its sends, and a failure as the user was
told it. Each check fills its own part; everything else stays ``None``.

The store keeps it as one JSON object per verification row (``verifications.detail``);
``from_json`` and ``to_json`` are the only places that know that shape, and ``from_json``
reads every row written so far (missing keys are "not known", unknown keys are ignored).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return None if value is None else str(value)


def _time(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


@dataclass(frozen=True, slots=True)
class VerificationDetail:
    # The person checked (an operator's pass names the order's operator).
    name: str | None = None
    id_number: str | None = None
    # Carrier and bank checks: the mobile checked, which then gets the SMS code.
    mobile: str | None = None
    isp: str | None = None  # carrier
    card_tail: str | None = None  # bank: the last four digits only
    # Face checks (real-time and ORG-MR-8): the provider's liveness page.
    url: str | None = None
    face_expires_at: datetime | None = None
    # The micro-deposit check.
    account_tail: str | None = None
    transfer_status: str | None = None
    amount: str | None = None
    # The SMS code: its hash, when the current one was sent, every send (resend limits).
    code_hash: str | None = None
    code_sent_at: datetime | None = None
    sent_at: tuple[datetime, ...] = ()
    # A failure, as the user was told it.
    message: str | None = None
    error_code: str | None = None
    help: str | None = None
    outcome: str | None = None

    def to_json(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "name": self.name, "id_number": self.id_number, "mobile": self.mobile,
            "isp": self.isp, "card_tail": self.card_tail, "url": self.url,
            "expires_at": self.face_expires_at.isoformat() if self.face_expires_at else None,
            "account_tail": self.account_tail, "transfer_status": self.transfer_status,
            "amount": self.amount, "code_hash": self.code_hash,
            "code_sent_at": self.code_sent_at.isoformat() if self.code_sent_at else None,
            "sent_at": [t.isoformat() for t in self.sent_at] or None,
            "message": self.message, "code": self.error_code, "help": self.help,
            "outcome": self.outcome,
        }
        return {key: value for key, value in values.items() if value is not None}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> VerificationDetail:
        data = data or {}
        sent = data.get("sent_at")
        return cls(
            name=_text(data, "name"), id_number=_text(data, "id_number"),
            mobile=_text(data, "mobile"), isp=_text(data, "isp"),
            card_tail=_text(data, "card_tail"), url=_text(data, "url"),
            face_expires_at=_time(data.get("expires_at")),
            account_tail=_text(data, "account_tail"),
            transfer_status=_text(data, "transfer_status"), amount=_text(data, "amount"),
            code_hash=_text(data, "code_hash"), code_sent_at=_time(data.get("code_sent_at")),
            sent_at=tuple(t for t in map(_time, sent if isinstance(sent, list) else [])
                          if t is not None),
            message=_text(data, "message"), error_code=_text(data, "code"),
            help=_text(data, "help"), outcome=_text(data, "outcome"))
