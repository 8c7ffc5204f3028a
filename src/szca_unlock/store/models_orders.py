"""The business order (业务单) and everything hanging off it: audit trail, identity
verifications, uploaded documents, review decisions, unlock authorisations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.ext.mutable import MutableDict
from sqlalchemy.orm import Mapped, mapped_column, relationship

from szca_unlock.domain.order_form import OrderForm
from szca_unlock.domain.orders import OrderEvent, OrderMode, OrderState
from szca_unlock.domain.verification_detail import VerificationDetail
from szca_unlock.store.base import Base, UTCDateTime, str_enum
from szca_unlock.store.encrypted import EncryptedJSON, EncryptedString, LookupHash, hashed_by
from szca_unlock.store.enums import AuthorisationKind, ReviewDecision, VerificationStatus
from szca_unlock.store.models_pki import CertificateRow


class OrderCounterRow(Base):
    """Per-day sequence behind order numbers (``JS`` + YYYYMMDD + 4-digit sequence)."""

    __tablename__ = "order_counters"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer)


class OrderRow(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_no: Mapped[str] = mapped_column(String(20), unique=True)
    mode: Mapped[OrderMode] = mapped_column(str_enum(OrderMode, 16))
    state: Mapped[OrderState] = mapped_column(str_enum(OrderState), index=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"), index=True)
    # The key the certificate lives on, fixed when the order opens (C-6: refuse any other).
    key_serial: Mapped[str] = mapped_column(String(32))
    owner_mobile: Mapped[str] = mapped_column(EncryptedString("orders.owner_mobile"))
    owner_mobile_hash: Mapped[str] = mapped_column(LookupHash("mobile"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    review_round: Mapped[int] = mapped_column(Integer, default=0)
    review_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The stored shape of ``form`` (domain/order_form.py); only the store reads it.
    # Encrypted at rest: the form holds ID numbers and mobiles.
    form_json: Mapped[dict[str, Any]] = mapped_column(
        "form", MutableDict.as_mutable(EncryptedJSON("orders.form")), default=dict)
    legal_rep_name: Mapped[str | None] = mapped_column(String(100))
    legal_rep_id_number: Mapped[str | None] = mapped_column(
        EncryptedString("orders.legal_rep_id_number"))
    operator_name: Mapped[str | None] = mapped_column(String(100))
    operator_id_number: Mapped[str | None] = mapped_column(
        EncryptedString("orders.operator_id_number"))
    operator_mobile: Mapped[str | None] = mapped_column(EncryptedString("orders.operator_mobile"))
    # Optimistic lock: two writers that both read version N cannot both commit.
    version: Mapped[int] = mapped_column(Integer, default=1)

    certificate: Mapped[CertificateRow] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    # The lists' stable orders (store/pages.py): 我的业务单 and the review queue.
    __table_args__ = (Index("ix_orders_owner_created", "owner_mobile_hash", "created_at", "id"),
                      Index("ix_orders_queue", "state", "mode", "review_deadline", "id"))

    @property
    def form(self) -> OrderForm:
        """The application form and what the order keeps beside its state (typed)."""
        return OrderForm.from_json(self.form_json)

    @form.setter
    def form(self, value: OrderForm) -> None:
        self.form_json = value.to_json()  # a new dict: saved like any assignment

    def __repr__(self) -> str:
        return f"OrderRow(order_no={self.order_no!r}, state={self.state.value!r})"


class OrderTransitionRow(Base):
    """The audit trail: one row per state change, written in the same transaction."""

    __tablename__ = "order_transitions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    from_state: Mapped[OrderState] = mapped_column(str_enum(OrderState))
    to_state: Mapped[OrderState] = mapped_column(str_enum(OrderState))
    event: Mapped[OrderEvent] = mapped_column(str_enum(OrderEvent))
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str | None] = mapped_column(Text)


class VerificationRow(Base):
    """One identity check of an order: step operator/enterprise/identity/mr_operator_face,
    method e.g. carrier/bank/face/deposit, with the provider's reference."""

    __tablename__ = "verifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    step: Mapped[str] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(String(32))
    provider_ref: Mapped[str | None] = mapped_column(String(128), index=True)
    status: Mapped[VerificationStatus] = mapped_column(str_enum(VerificationStatus, 16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The stored shape of ``detail`` (domain/verification_detail.py); only the store reads it.
    # Encrypted at rest: names, ID numbers, mobiles and bank cards the checks were given.
    detail_json: Mapped[dict[str, Any]] = mapped_column(
        "detail", MutableDict.as_mutable(EncryptedJSON("verifications.detail")), default=dict)

    @property
    def detail(self) -> VerificationDetail:
        """What the check keeps beside its status (typed)."""
        return VerificationDetail.from_json(self.detail_json)

    @detail.setter
    def detail(self, value: VerificationDetail) -> None:
        self.detail_json = value.to_json()  # a new dict: saved like any assignment


class DocumentRow(Base):
    """An uploaded file of a manual-review order; a re-upload in a later round marks the
    older file of the same slot ``replaced`` instead of deleting it (the reviewer's history)."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    slot: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_path: Mapped[str] = mapped_column(String(500))
    review_round: Mapped[int] = mapped_column(Integer)
    replaced: Mapped[bool] = mapped_column(Boolean, default=False)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReviewRow(Base):
    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("order_id", "review_round"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    review_round: Mapped[int] = mapped_column(Integer)
    decision: Mapped[ReviewDecision] = mapped_column(str_enum(ReviewDecision, 16))
    reason_code: Mapped[str | None] = mapped_column(String(64))
    reason_text: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())


class UnlockAuthorisationRow(Base):
    """A cryptogram (card path) or a released SO PIN (PKCS#11 path) for one order.

    ``public_id`` is what the agent quotes back; one cryptogram per (key, challenge)."""

    __tablename__ = "unlock_authorisations"
    __table_args__ = (UniqueConstraint("key_serial", "challenge_hex"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(64), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    kind: Mapped[AuthorisationKind] = mapped_column(str_enum(AuthorisationKind, 16))
    key_serial: Mapped[str] = mapped_column(String(32))
    challenge_hex: Mapped[str | None] = mapped_column(String(64))
    cryptogram_hex: Mapped[str | None] = mapped_column(String(64))
    sealed_new_so_pin: Mapped[bytes | None] = mapped_column(LargeBinary)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"UnlockAuthorisationRow(public_id={self.public_id!r}, kind={self.kind.value!r})"


hashed_by(OrderRow.owner_mobile, OrderRow.owner_mobile_hash)  # 我的业务单 by login mobile
