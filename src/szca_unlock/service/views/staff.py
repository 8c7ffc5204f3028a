"""ORG-MR-9 / PER-MR-7 as CA staff see it: login, the review queue, one order's review
detail with what to check, the offered rejection reasons, the decision."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from szca_unlock.api.manual import ReasonView
from szca_unlock.api.staff import (
    Decision,
    Notification,
    QueueItem,
    ReviewDetail,
    ReviewQueue,
    StaffLoginResponse,
)
from szca_unlock.documents.review_reasons import reasons_for
from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.domain.validators import mask_mobile
from szca_unlock.service.logic.review import Notice
from szca_unlock.service.views.manual import deadline_text, page_fields, reason_view
from szca_unlock.service.views.orders import order_view, type_label
from szca_unlock.store.models_access import SessionRow, StaffUserRow
from szca_unlock.store.models_orders import OrderRow
from szca_unlock.store.pages import Page


def staff_logged_in(token: str, session: SessionRow, user: StaffUserRow,
                    idle_timeout: timedelta) -> StaffLoginResponse:
    return StaffLoginResponse(token=token, role=session.kind.value, username=user.username,
                              display_name=user.display_name, expires_at=session.expires_at,
                              idle_timeout=int(idle_timeout.total_seconds()))


def review_queue(page: Page, count: int, now: datetime) -> ReviewQueue:
    """One page of the queue (store/pages.py: list rows, nearest deadline first);
    ``count`` is every waiting order."""
    items = [QueueItem(
        order_no=row.order_no, certificate_type=type_label(row.certificate_kind, row.medical),
        subject_dn=row.subject_dn, holder_name=row.holder_name,
        review_round=row.review_round, submitted_at=row.submitted_at or row.updated_at,
        deadline=deadline_text(row.review_deadline, row.deadline_estimated),
        overdue=row.review_deadline is not None and row.review_deadline < now)
        for row in page.rows]
    return ReviewQueue(count=count, orders=items, next_cursor=page.next_cursor)


def rejection_reasons(kind: CertificateKind) -> list[ReasonView]:
    return [reason_view(r) for r in reasons_for(kind)]


def _checks(order: OrderRow) -> list[str]:
    kind = order.certificate.kind
    checks = ["核对上传资料清晰可见、真实有效，未经任何修改；水印（如有）须注明“办理数字证书使用”"]
    if kind is CertificateKind.ORG:
        checks += ["申请表须经办人手写签名、填写申请日期并加盖单位公章",
                   "营业执照复印件须加盖单位公章，名称与统一社会信用代码与申请表一致"]
    if kind is CertificateKind.ORG_PERSONAL:
        checks.append("机构个人证书：身份证扫描件须加盖单位公章")
    if order.certificate.medical:
        checks.append("医疗类证书：核对工作证（或手持身份证照片）信息清晰")
    return checks


def review_detail(db: Session, order: OrderRow) -> ReviewDetail:
    page, docs = page_fields(db, order, qr_png=None, for_staff=True)
    return ReviewDetail(**page, owner_mobile_masked=mask_mobile(order.owner_mobile),
                        documents=docs,
                        reasons=rejection_reasons(order.certificate.kind),
                        checks=_checks(order))


def decision(db: Session, order: OrderRow, notice: Notice | None = None) -> Decision:
    if notice is None:
        return Decision(order=order_view(db, order))
    return Decision(order=order_view(db, order),
                    notification=Notification(sent=notice.sent,
                                              mobile_masked=notice.mobile_masked,
                                              error=notice.error))
