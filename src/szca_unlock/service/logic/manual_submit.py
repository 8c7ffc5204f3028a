"""Submitting a manual-review order (ORG-MR-9 / PER-MR-7) and resubmitting it after a
rejection (ORG-MR-10): everything must be in place, and the applicant is told by when the
CA will have reviewed it (3 working days; an estimate beyond the holiday data)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.domain.orders import OrderEvent, OrderState
from szca_unlock.domain.workdays import review_deadline_or_estimate
from szca_unlock.service.errors import Conflict
from szca_unlock.service.logic import manual_face
from szca_unlock.service.logic.manual_form import require_editable
from szca_unlock.service.logic.sessions import Principal
from szca_unlock.service.logic.uploads import current_documents, slot_rules
from szca_unlock.store.models_orders import OrderRow
from szca_unlock.store.transitions import apply_transition

FACE_LABEL = "经办人人脸验证"


def missing_items(db: Session, order: OrderRow) -> list[str]:
    """What the applicant still has to do before 提交, in the order of the wizard."""
    has_form = order.form.fields is not None
    missing = [] if has_form else ["填写申请信息"]
    filled = {d.slot for d in current_documents(db, order)}
    missing += [f"上传{label}" for label in slot_rules(order).missing(filled)]
    if order.certificate.kind is CertificateKind.ORG and (
            not has_form or not manual_face.passed_for_current_operator(db, order)):
        missing.append(f"完成{FACE_LABEL}")
    return missing


def submit(db: Session, caller: Principal, order: OrderRow, now: datetime) -> OrderRow:
    """DRAFT → SUBMITTED, or REJECTED → SUBMITTED (a new review round)."""
    require_editable(order)
    missing = missing_items(db, order)
    if missing:
        raise Conflict("submit.incomplete", "提交前请先" + "、".join(missing))
    event = OrderEvent.SUBMIT if order.state is OrderState.DRAFT else OrderEvent.RESUBMIT
    apply_transition(db, order, event, caller.actor, at=now,
                     note=f"第{order.review_round + 1}次提交审核")
    deadline = review_deadline_or_estimate(now)
    order.review_deadline = deadline.due
    order.form = replace(order.form, deadline_estimated=deadline.estimated)
    db.flush()
    return order
