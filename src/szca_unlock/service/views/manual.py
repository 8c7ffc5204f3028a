"""The manual-review pages (ORG-MR / PER-MR): the applicant's page with its documents,
slots, operator face check, deadline and rounds, and the reviewer's detail built on the
same page; the 省市 picker."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from szca_unlock.api.manual import (
    CityList,
    DeadlineView,
    DocumentView,
    ManualFaceView,
    ManualView,
    ReasonView,
    RegionList,
    RoundView,
    SlotView,
)
from szca_unlock.documents import regions
from szca_unlock.documents.review_reasons import RejectionReason, get_reason
from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.domain.orders import OrderState
from szca_unlock.domain.workdays import CHINA_TZ
from szca_unlock.service.logic import manual_face
from szca_unlock.service.logic.manual_form import EDITABLE
from szca_unlock.service.logic.manual_submit import missing_items
from szca_unlock.service.logic.review import REASON_SEPARATOR
from szca_unlock.service.logic.uploads import all_documents, slot_rules
from szca_unlock.service.views.orders import order_view
from szca_unlock.store.enums import VerificationStatus
from szca_unlock.store.models_orders import DocumentRow, OrderRow, ReviewRow
from szca_unlock.store.repo_order_parts import list_reviews

NOTES = (
    "深圳CA将在三个工作日内完成审核，审核通过后会发送审核通过短信。",
    "审核驳回时，请在“个人中心→我的业务单”中找到该业务单，点击【编辑】，根据驳回理由修改后重新提交。",
    "审核通过后，请打开深圳CA驱动程序（数字证书管理工具），插入准备解锁的U-KEY，"
    "在“个人中心→我的业务单”中点击【解锁】，在线重置密码。",
    "如需为多张证书解锁，请完成第一张证书解锁后刷新网页，再插入第二个U-KEY，"
    "每次只插入一个U-KEY，以免造成数据冲突。",
)
_DOC_STATUS = {"current": "当前使用", "replaced": "已替换", "withdrawn": "已删除"}
_FACE_MESSAGES = {"none": "请经办人使用微信扫一扫，完成活体认证",
                  "pending": "请使用微信“扫一扫”扫描二维码，按提示完成人脸验证",
                  "passed": "经办人人脸验证通过"}
_DECISION_LABELS = {None: "待审核", "approved": "审核通过", "rejected": "审核驳回"}


def deadline_view(order: OrderRow) -> DeadlineView | None:
    return deadline_text(order.review_deadline, order.form.deadline_estimated)


def deadline_text(deadline: datetime | None, estimated: bool) -> DeadlineView | None:
    if deadline is None:
        return None
    due = deadline.astimezone(CHINA_TZ)
    text = f"深圳CA将在{due:%Y年%m月%d日}前（三个工作日内）完成审核"
    if estimated:
        text += "（按周一至周五估算，节假日安排公布后以实际工作日为准）"
    return DeadlineView(due=due, due_date=f"{due:%Y-%m-%d}",
                        estimated=estimated, text=text)


def _doc_statuses(docs: list[DocumentRow]) -> dict[int, str]:
    status: dict[int, str] = {}
    for doc in docs:
        later = any(d.slot == doc.slot and d.id > doc.id for d in docs)
        status[doc.id] = ("current" if not doc.replaced
                          else "replaced" if later else "withdrawn")
    return status


def document_views(order: OrderRow, docs: list[DocumentRow]) -> list[DocumentView]:
    rules, statuses = slot_rules(order), _doc_statuses(docs)
    return [DocumentView(id=d.id, slot=d.slot, slot_label=rules.slot(d.slot).label,
                         filename=d.filename, content_type=d.content_type,
                         size_bytes=d.size_bytes, sha256=d.sha256, review_round=d.review_round,
                         uploaded_at=d.uploaded_at, status=statuses[d.id],
                         status_label=_DOC_STATUS[statuses[d.id]])
            for d in docs]


def _slots(order: OrderRow, docs: list[DocumentView]) -> list[SlotView]:
    rules = slot_rules(order)
    alone = {group[0] for group in rules.required if len(group) == 1}
    current = {d.slot: d for d in docs if d.status == "current"}
    return [SlotView(slot=s.name, label=s.label, hint=s.hint, required=s.name in alone,
                     document=current.get(s.name)) for s in rules.slots]


def _requirement(order: OrderRow) -> str:
    rules = slot_rules(order)
    labels = {s.name: s.label for s in rules.slots}
    return " + ".join("或".join(labels[n] for n in group) for group in rules.required)


def face_view(db: Session, order: OrderRow, qr_png: bytes | None = None) -> ManualFaceView:
    required = order.certificate.kind is CertificateKind.ORG
    row = manual_face.latest(db, order) if required else None
    if not required:
        return ManualFaceView(required=False, status="none", message="本业务单无需人脸验证")
    status = row.status.value if row is not None else "none"
    if row is not None and row.status is VerificationStatus.PASSED and \
            not manual_face.passed_for_current_operator(db, order):
        status = "none"  # the operator changed since: a new check is needed
    message = ((row.detail.message or "人脸验证未通过，请重新验证")
               if row is not None and status == "failed" else _FACE_MESSAGES[status])
    url = row.detail.url if row is not None and status == "pending" else None
    qr = base64.b64encode(qr_png).decode() if qr_png else None
    return ManualFaceView(required=True, status=status, message=message, url=url, qr_png_base64=qr)


def _reasons(review: ReviewRow) -> list[RejectionReason]:
    codes = [c for c in (review.reason_code or "").split(REASON_SEPARATOR) if c]
    return [get_reason(c) for c in codes]


def reason_view(reason: RejectionReason) -> ReasonView:
    return ReasonView(code=reason.code, label=reason.label, hint=reason.hint)


def rounds(db: Session, order: OrderRow, docs: list[DocumentView], *,
           for_staff: bool) -> list[RoundView]:
    """One entry per submission: its decision (if any), reasons and the files uploaded for it."""
    decided = {r.review_round: r for r in list_reviews(db, order)}
    views = []
    for number in range(1, order.review_round + 1):
        review = decided.get(number)
        decision = review.decision.value if review else None
        views.append(RoundView(
            round=number, decision=decision, decision_label=_DECISION_LABELS[decision],
            decided_at=review.decided_at if review else None,
            reasons=[reason_view(r) for r in _reasons(review)] if review else [],
            detail=review.reason_text if review else None,
            reviewer=review.reviewer if review and for_staff else None,
            documents=[d for d in docs if d.review_round == number]))
    return views


def manual_view(db: Session, order: OrderRow, *, qr_png: bytes | None = None) -> ManualView:
    page, _ = page_fields(db, order, qr_png=qr_png, for_staff=False)
    return ManualView(**page)


def page_fields(db: Session, order: OrderRow, *, qr_png: bytes | None,
                for_staff: bool) -> tuple[dict[str, Any], list[DocumentView]]:
    """The fields the applicant's page and the reviewer's detail share, and the documents."""
    docs = document_views(order, all_documents(db, order))
    history = rounds(db, order, docs, for_staff=for_staff)
    editable = order.state in EDITABLE
    missing = missing_items(db, order) if editable else []
    rejected = history[-1] if order.state is OrderState.REJECTED and history else None
    form = order.form
    return dict(order=order_view(db, order),
                fields=form.fields.to_json() if form.fields is not None else None,
                form_revision=form.revision,
                requirement=_requirement(order), slots=_slots(order, docs),
                face=face_view(db, order, qr_png), missing=missing, can_edit=editable,
                can_submit=editable and not missing, deadline=deadline_view(order),
                rejection=rejected, rounds=history, notes=list(NOTES)), docs


def province_list() -> RegionList:
    return RegionList(provinces=regions.provinces())


def city_list(province: str) -> CityList:
    return CityList(province=province, cities=regions.cities(province))
