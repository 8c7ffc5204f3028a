"""What hangs off an order: identity verifications, documents, reviews, unlock authorisations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from szca_unlock.domain.verification_detail import VerificationDetail
from szca_unlock.store.base import utcnow
from szca_unlock.store.enums import AuthorisationKind, ReviewDecision, VerificationStatus
from szca_unlock.store.errors import NotFound, VerificationMissing
from szca_unlock.store.models_orders import (
    DocumentRow,
    OrderRow,
    ReviewRow,
    UnlockAuthorisationRow,
    VerificationRow,
)

# -- verifications ------------------------------------------------------------------------


def add_verification(session: Session, order: OrderRow, *, step: str, method: str,
                     provider_ref: str | None = None, expires_at: datetime | None = None,
                     detail: VerificationDetail | None = None,
                     now: datetime | None = None) -> VerificationRow:
    now = now or utcnow()
    row = VerificationRow(order_id=order.id, step=step, method=method, provider_ref=provider_ref,
                          status=VerificationStatus.PENDING, attempts=0, created_at=now,
                          updated_at=now, expires_at=expires_at,
                          detail=detail or VerificationDetail())
    session.add(row)
    session.flush()
    return row


def get_latest_verification(session: Session, order: OrderRow, step: str, *,
                            for_update: bool = False) -> VerificationRow:
    """The newest verification of ``step`` (a retry with another method supersedes);
    ``for_update`` locks it until the transaction ends (parallel tries of one code)."""
    query = (select(VerificationRow)
             .where(VerificationRow.order_id == order.id, VerificationRow.step == step)
             .order_by(VerificationRow.id.desc()).limit(1))
    row = session.scalar(query.with_for_update(of=VerificationRow) if for_update else query)
    if row is None:
        raise VerificationMissing("请先发起身份验证")
    return row


def get_verification_by_provider_ref(session: Session, provider_ref: str) -> VerificationRow:
    row = session.scalar(select(VerificationRow)
                         .where(VerificationRow.provider_ref == provider_ref))
    if row is None:
        raise VerificationMissing("验证记录不存在或已过期，请重新发起验证")
    return row


def list_verifications(session: Session, order: OrderRow) -> list[VerificationRow]:
    return list(session.scalars(select(VerificationRow)
                                .where(VerificationRow.order_id == order.id)
                                .order_by(VerificationRow.id)))


def set_verification_status(session: Session, row: VerificationRow, status: VerificationStatus,
                            *, detail: VerificationDetail | None = None,
                            now: datetime | None = None) -> None:
    """Close (or reopen) a check; ``detail``, if given, replaces what it keeps."""
    row.status = status
    row.updated_at = now or utcnow()
    if detail is not None:
        row.detail = detail
    session.flush()


# -- documents ----------------------------------------------------------------------------


def add_document(session: Session, order: OrderRow, *, slot: str, filename: str,
                 content_type: str, size_bytes: int, sha256: str, storage_path: str,
                 now: datetime | None = None) -> DocumentRow:
    """Record an upload in the order's current review round; it replaces the slot's
    previous file (kept, flagged ``replaced``)."""
    session.execute(update(DocumentRow)
                    .where(DocumentRow.order_id == order.id, DocumentRow.slot == slot,
                           DocumentRow.replaced.is_(False))
                    .values(replaced=True))
    row = DocumentRow(order_id=order.id, slot=slot, filename=filename, content_type=content_type,
                      size_bytes=size_bytes, sha256=sha256, storage_path=storage_path,
                      review_round=max(order.review_round, 1), replaced=False,
                      uploaded_at=now or utcnow())
    session.add(row)
    session.flush()
    return row


def list_documents(session: Session, order: OrderRow, *,
                   include_replaced: bool = False) -> list[DocumentRow]:
    query = select(DocumentRow).where(DocumentRow.order_id == order.id)
    if not include_replaced:
        query = query.where(DocumentRow.replaced.is_(False))
    return list(session.scalars(query.order_by(DocumentRow.id)))


def get_document(session: Session, order: OrderRow, document_id: int) -> DocumentRow:
    row = session.get(DocumentRow, document_id)
    if row is None or row.order_id != order.id:
        raise NotFound("document", "未找到该材料")
    return row


# -- reviews ------------------------------------------------------------------------------


def add_review(session: Session, order: OrderRow, *, decision: ReviewDecision, reviewer: str,
               reason_code: str | None = None, reason_text: str | None = None,
               now: datetime | None = None) -> ReviewRow:
    """The decision for the order's current round (one per round: a unique constraint)."""
    row = ReviewRow(order_id=order.id, review_round=order.review_round, decision=decision,
                    reviewer=reviewer, reason_code=reason_code, reason_text=reason_text,
                    decided_at=now or utcnow())
    session.add(row)
    session.flush()
    return row


def list_reviews(session: Session, order: OrderRow) -> list[ReviewRow]:
    return list(session.scalars(select(ReviewRow).where(ReviewRow.order_id == order.id)
                                .order_by(ReviewRow.review_round)))


def get_latest_review(session: Session, order: OrderRow) -> ReviewRow:
    """The last decision (ORG-MR-10 shows its reason next to 编辑)."""
    reviews = list_reviews(session, order)
    if not reviews:
        raise NotFound("review", "该业务单尚未审核")
    return reviews[-1]


# -- unlock authorisations ----------------------------------------------------------------


def add_unlock_authorisation(session: Session, order: OrderRow, *, public_id: str,
                             kind: AuthorisationKind, key_serial: str, expires_at: datetime,
                             challenge_hex: str | None = None, cryptogram_hex: str | None = None,
                             sealed_new_so_pin: bytes | None = None,
                             now: datetime | None = None) -> UnlockAuthorisationRow:
    row = UnlockAuthorisationRow(
        public_id=public_id, order_id=order.id, kind=kind, key_serial=key_serial,
        challenge_hex=challenge_hex.upper() if challenge_hex else None,
        cryptogram_hex=cryptogram_hex, sealed_new_so_pin=sealed_new_so_pin,
        issued_at=now or utcnow(), expires_at=expires_at)
    session.add(row)
    session.flush()
    return row


def get_unlock_authorisation(session: Session, public_id: str) -> UnlockAuthorisationRow:
    row = session.scalar(select(UnlockAuthorisationRow)
                         .where(UnlockAuthorisationRow.public_id == public_id))
    if row is None:
        raise NotFound("unlock_authorisation", "解锁授权不存在，请刷新页面后重新解锁")
    return row


def list_unlock_authorisations(session: Session, *, key_serial: str,
                               challenge_hex: str | None = None) -> list[UnlockAuthorisationRow]:
    """Those already issued for a key (optionally one challenge): "one cryptogram per
    challenge" is checked against this."""
    query = select(UnlockAuthorisationRow).where(UnlockAuthorisationRow.key_serial == key_serial)
    if challenge_hex is not None:
        query = query.where(UnlockAuthorisationRow.challenge_hex == challenge_hex.upper())
    return list(session.scalars(query.order_by(UnlockAuthorisationRow.id)))


def list_order_authorisations(session: Session, order: OrderRow) -> list[UnlockAuthorisationRow]:
    """An order's unlock authorisations, oldest first."""
    return list(session.scalars(select(UnlockAuthorisationRow)
                                .where(UnlockAuthorisationRow.order_id == order.id)
                                .order_by(UnlockAuthorisationRow.id)))


def find_order_authorisation_by_challenge(session: Session, order: OrderRow, key_serial: str,
                                          challenge_hex: str) -> UnlockAuthorisationRow | None:
    """The card authorisation of ``order`` issued for this key's challenge, if any."""
    return session.scalar(select(UnlockAuthorisationRow).where(
        UnlockAuthorisationRow.order_id == order.id,
        UnlockAuthorisationRow.key_serial == key_serial,
        UnlockAuthorisationRow.challenge_hex == challenge_hex.upper()))


def mark_authorisation_confirmed(session: Session, public_id: str, at: datetime) -> bool:
    """Confirm exactly once: ``UPDATE ... WHERE confirmed_at IS NULL``; False if it already was
    (a concurrent or replayed confirmation)."""
    result = session.execute(
        update(UnlockAuthorisationRow)
        .where(UnlockAuthorisationRow.public_id == public_id,
               UnlockAuthorisationRow.confirmed_at.is_(None))
        .values(confirmed_at=at)
        .execution_options(synchronize_session="fetch"))
    return bool(result.rowcount)  # type: ignore[attr-defined]
