"""ORG-MR-9 / PER-MR-7: the CA reviewers' queue and decisions.

Approve sends the PER-MR-7 SMS (template 1000003) after the decision is committed: a
failed SMS never undoes an approval, and is recorded so the reviewer sees it. Reject needs
at least one reason from the list (documents/review_reasons.py) plus free text for 其他;
the applicant reads both next to 编辑 (ORG-MR-10).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from szca_unlock.documents.review_reasons import reasons_for, validate_rejection
from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.domain.errors import ValidationError
from szca_unlock.domain.order_form import ApprovalSms
from szca_unlock.domain.orders import OrderEvent, OrderMode, OrderState
from szca_unlock.domain.validators import mask_mobile
from szca_unlock.logsetup import get_logger
from szca_unlock.providers.errors import ProviderError
from szca_unlock.providers.sms import SmsTemplate
from szca_unlock.service.context import ServiceContext
from szca_unlock.service.errors import Conflict
from szca_unlock.service.logic.sessions import Principal
from szca_unlock.store.enums import ReviewDecision
from szca_unlock.store.errors import NotFound
from szca_unlock.store.models_access import StaffUserRow
from szca_unlock.store.models_orders import OrderRow
from szca_unlock.store.repo_order_parts import add_review
from szca_unlock.store.repo_orders import get_order
from szca_unlock.store.transitions import apply_transition

log = get_logger("service.review")
REASON_SEPARATOR = ","


@dataclass(frozen=True)
class Notice:
    """The approval SMS: sent or not, to which (masked) mobile, and why not."""

    sent: bool
    mobile_masked: str
    error: str | None = None


def order_for_review(db: Session, order_no: str) -> OrderRow:
    order = get_order(db, order_no)
    if order.mode is not OrderMode.MANUAL:
        raise NotFound("order", "未找到该人工审核业务单")
    return order


def reviewer_name(db: Session, staff: Principal) -> str:
    user = db.get(StaffUserRow, staff.staff_user_id)
    return user.username if user is not None else staff.actor


def notify_mobile(order: OrderRow) -> str:
    """Who gets the approval SMS: the person who filled in the form (operator/applicant)."""
    fields = order.form.fields
    return (fields.contact_mobile if fields is not None else "") or order.owner_mobile


def _decided_elsewhere() -> Conflict:
    return Conflict("review.already_decided", "该业务单已由其他审核人员处理，请刷新审核列表")


def _decide(db: Session, order: OrderRow, staff: Principal, event: OrderEvent,
            decision: ReviewDecision, note: str, now: datetime,
            reason_code: str | None = None, reason_text: str | None = None) -> None:
    try:
        apply_transition(db, order, event, staff.actor, note=note, at=now)
        add_review(db, order, decision=decision, reviewer=reviewer_name(db, staff),
                   reason_code=reason_code, reason_text=reason_text, now=now)
    except (StaleDataError, IntegrityError):
        # Two reviewers at once: the optimistic lock / one-decision-per-round constraint.
        raise _decided_elsewhere() from None


def approve(ctx: ServiceContext, db: Session, staff: Principal, order_no: str,
            note: str | None, now: datetime) -> tuple[OrderRow, Notice]:
    order = order_for_review(db, order_no)
    text = (note or "").strip() or None
    _decide(db, order, staff, OrderEvent.APPROVE, ReviewDecision.APPROVED,
            "审核通过" + (f":{text}" if text else ""), now, reason_text=text)
    db.commit()  # the decision stands whatever happens to the SMS
    mobile = notify_mobile(order)
    try:
        ctx.providers.sms.send(mobile, SmsTemplate.REVIEW_APPROVED, [order.order_no])
        notice = Notice(True, mask_mobile(mobile))
    except ProviderError as exc:
        log.warning("approval SMS for %s not sent: %s", order.order_no, exc.code)
        notice = Notice(False, mask_mobile(mobile), exc.message)
    order.form = replace(order.form, approval_sms=ApprovalSms(notice.sent, now, notice.error))
    db.flush()
    return order, notice


def _check_offered(kind: CertificateKind, codes: list[str]) -> None:
    offered = {r.code for r in reasons_for(kind)}
    for code in codes:
        if code not in offered:
            raise ValidationError("review.reason_not_applicable",
                                  f"驳回原因“{code}”不适用于{kind.label}", "reason_codes")


def reject(db: Session, staff: Principal, order_no: str, codes: list[str],
           detail: str | None, now: datetime) -> OrderRow:
    order = order_for_review(db, order_no)
    if order.state is not OrderState.SUBMITTED:  # before the reasons: say what is wrong
        raise Conflict("order.illegal_transition",
                       f"业务单当前状态为「{order.state.label}」，不能驳回")
    reasons = validate_rejection(codes, detail)
    _check_offered(order.certificate.kind, [r.code for r in reasons])
    text = (detail or "").strip() or None
    note = "；".join(r.label for r in reasons) + (f"。审核意见：{text}" if text else "")
    _decide(db, order, staff, OrderEvent.REJECT, ReviewDecision.REJECTED, note, now,
            reason_code=REASON_SEPARATOR.join(r.code for r in reasons), reason_text=text)
    return order
