"""ORG-MR-8: the operator's face liveness check through the face provider (WeChat).

The check is tied to the operator named in the form: editing the operator's name or ID
number after a pass (ORG-MR-10) asks for a new check before the order can be resubmitted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.domain.order_form import OrgApplication
from szca_unlock.domain.verification_detail import VerificationDetail
from szca_unlock.providers.face import qr_png
from szca_unlock.service.context import ServiceContext
from szca_unlock.service.errors import Conflict
from szca_unlock.service.logic.manual_form import (
    OrderLoader,
    require_editable,
    require_form,
)
from szca_unlock.store.enums import VerificationStatus
from szca_unlock.store.errors import NotFound
from szca_unlock.store.models_orders import OrderRow, VerificationRow
from szca_unlock.store.repo_order_parts import (
    add_verification,
    get_latest_verification,
    list_verifications,
    set_verification_status,
)

STEP = "mr_operator_face"
METHOD = "face"


@dataclass(frozen=True)
class FaceAttempt:
    row: VerificationRow
    qr_png: bytes | None = None


def _require_org(order: OrderRow) -> None:
    if order.certificate.kind is not CertificateKind.ORG:
        raise Conflict("face.not_required", "该业务单无需经办人人脸验证")


def _operator(order: OrderRow) -> tuple[str, str]:
    fields = require_form(order)
    assert isinstance(fields, OrgApplication)  # _require_org ran first
    return fields.operator_name, fields.operator_id_number


def start(ctx: ServiceContext, load: OrderLoader, now: datetime) -> FaceAttempt:
    """Validate (read), open the provider's session (no transaction), record it (write)."""
    with ctx.db.session(readonly=True) as db:
        order = load(db)
        require_editable(order)
        _require_org(order)
        name, id_number = _operator(order)
    session = ctx.providers.face.start(name, id_number, ctx.face_redirect_url)
    with ctx.db.session() as db:
        order = load(db)
        require_editable(order)  # it may have been submitted meanwhile
        row = add_verification(db, order, step=STEP, method=METHOD,
                               provider_ref=session.biz_token, expires_at=session.expires_at,
                               now=now, detail=VerificationDetail(url=session.url, name=name,
                                                                  id_number=id_number))
    return FaceAttempt(row, qr_png(session.url))


def latest(db: Session, order: OrderRow) -> VerificationRow | None:
    try:
        return get_latest_verification(db, order, STEP)
    except NotFound:
        return None


def poll(ctx: ServiceContext, load: OrderLoader, now: datetime) -> FaceAttempt:
    """Ask the provider about the newest check now and record a final outcome, once:
    the write applies only to a check still pending."""
    with ctx.db.session(readonly=True) as db:
        order = load(db)
        _require_org(order)
        row = latest(db, order)
    if row is None:
        raise Conflict("face.not_started", "请先发起经办人人脸验证", "face")
    if row.status is not VerificationStatus.PENDING or not row.provider_ref:
        return FaceAttempt(row)
    result = ctx.providers.face.result(row.provider_ref)
    if not (result.verified or result.finished):
        return FaceAttempt(row)
    with ctx.db.session() as db:
        current = db.get(VerificationRow, row.id)
        assert current is not None  # verification rows are never deleted once sent
        if current.status is VerificationStatus.PENDING:
            if result.verified:
                set_verification_status(db, current, VerificationStatus.PASSED, now=now)
            else:
                failed = replace(current.detail, message=result.message,
                                 outcome=str(result.outcome))
                set_verification_status(db, current, VerificationStatus.FAILED, now=now,
                                        detail=failed)
    return FaceAttempt(current)


def passed_for_current_operator(db: Session, order: OrderRow) -> bool:
    fields = order.form.fields
    if not isinstance(fields, OrgApplication):
        return False
    wanted = (fields.operator_name, fields.operator_id_number)
    return any(v.step == STEP and v.status is VerificationStatus.PASSED
               and (v.detail.name, v.detail.id_number) == wanted
               for v in list_verifications(db, order))
