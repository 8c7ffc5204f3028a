"""Logging in and consent: SMS login codes, sessions, CA staff, agreement acceptances."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from szca_unlock.store.base import Base, UTCDateTime, str_enum
from szca_unlock.store.encrypted import EncryptedString, LookupHash, hashed_by
from szca_unlock.store.enums import SessionKind, StaffRole


class LoginCodeRow(Base):
    """An SMS login code (C-1); only its hash is kept, the mobile encrypted."""

    __tablename__ = "login_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mobile: Mapped[str] = mapped_column(EncryptedString("login_codes.mobile"))
    mobile_hash: Mapped[str] = mapped_column(LookupHash("mobile"), index=True)
    code_hash: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)  # retention
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    used: Mapped[bool] = mapped_column(Boolean, default=False)


class StaffUserRow(Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[StaffRole] = mapped_column(str_enum(StaffRole, 16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Consecutive wrong passwords; at the service's limit the account is locked until an
    # administrator unlocks it (``python -m szca_unlock.service.admin unlock-staff``).
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"StaffUserRow(username={self.username!r}, role={self.role.value!r})"


class SessionRow(Base):
    """A logged-in browser or agent: an applicant (by mobile) or a staff member."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[SessionKind] = mapped_column(str_enum(SessionKind, 16))
    mobile: Mapped[str | None] = mapped_column(EncryptedString("sessions.mobile"))
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)  # retention
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class AgreementAcceptanceRow(Base):
    """One ticked agreement (ORG-RT-2 / PER-MR-2), with the exact version the user saw."""

    __tablename__ = "agreement_acceptances"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id"), index=True)
    mobile: Mapped[str] = mapped_column(EncryptedString("agreement_acceptances.mobile"))
    mobile_hash: Mapped[str] = mapped_column(LookupHash("mobile"), index=True)
    agreement_id: Mapped[str] = mapped_column(String(64))
    agreement_version: Mapped[str] = mapped_column(String(32))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)  # retention


class AssistantTicketRow(Base):
    """A one-time ticket for the certificate helper (立即解锁): issued to one page session
    for one order, redeemed once for a short helper session (``access_session_id``)."""

    __tablename__ = "assistant_tickets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_hash: Mapped[str] = mapped_column(String(64), unique=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    redeemed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    access_session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id"),
                                                          unique=True, nullable=True)


# Lookups by mobile compare these hashes (store/encrypted.py).
hashed_by(LoginCodeRow.mobile, LoginCodeRow.mobile_hash)
hashed_by(AgreementAcceptanceRow.mobile, AgreementAcceptanceRow.mobile_hash)
