"""ORG-MR-5 / PER-MR-5: the manual-review form, validated field by field, and the
application form PDF of ORG-MR-6 (rendered once per form revision, then kept).

The form is the order's ``OrderForm`` (domain/order_form.py): the validated fields, their
revision and save time, and the stored PDF of one revision, so any edit makes a new one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from szca_unlock.documents.application_form import (
    ORG_ID_TYPE,
    ApplicationFormData,
    CertificateInfo,
    OrganisationInfo,
    PersonInfo,
)
from szca_unlock.documents.regions import validate_region
from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.domain.errors import ValidationError
from szca_unlock.domain.order_form import (
    ORG_FIELDS,
    PERSONAL_FIELDS,
    Application,
    ApplicationDraft,
    OrgApplication,
    PersonalApplication,
    StoredPdf,
)
from szca_unlock.domain.orders import OrderMode, OrderState
from szca_unlock.domain.validators import (
    validate_email,
    validate_mobile,
    validate_person_name,
    validate_resident_id,
    validate_uscc,
)
from szca_unlock.domain.workdays import CHINA_TZ
from szca_unlock.logsetup import get_logger
from szca_unlock.service import cpu_tasks
from szca_unlock.service.context import ServiceContext
from szca_unlock.service.errors import Conflict
from szca_unlock.service.logic.upload_store import storage_for
from szca_unlock.store.models_orders import OrderRow

log = get_logger("service.manual_form")
# Loads the order a route works on, in whichever transaction it is given (applicant:
# own order only; staff: any manual order).
OrderLoader = Callable[[Session], OrderRow]

EDITABLE = frozenset({OrderState.DRAFT, OrderState.REJECTED})
LABELS = {
    "org_name": "机构名称", "org_id_type": "机构证件类型", "org_id_number": "机构证件号码",
    "fee": "费用（元）", "province": "省", "city": "市", "address": "单位地址",
    "operator_name": "单位经办人姓名", "operator_id_number": "身份证号码",
    "operator_mobile": "移动电话", "operator_title": "职务", "operator_email": "常用联系邮箱",
    "applicant_name": "申请人姓名", "applicant_id_number": "身份证号码",
    "applicant_mobile": "移动电话",
}
MAX_TEXT = {"org_name": 100, "address": 200, "operator_title": 50}


def _invalid(field: str, rule: str, message: str) -> ValidationError:
    return ValidationError(f"{field}.{rule}", message, field)


def _text(value: str | None, field: str) -> str:
    text = value.strip() if value is not None else ""
    if not text:
        raise _invalid(field, "required", f"请填写{LABELS[field]}")
    if len(text) > MAX_TEXT.get(field, 100):
        raise _invalid(field, "too_long", f"{LABELS[field]}不能超过{MAX_TEXT[field]}个字")
    return text


def require_manual(order: OrderRow) -> None:
    if order.mode is not OrderMode.MANUAL:
        raise Conflict("not_manual", "该业务单为实时解锁，无需填写人工审核资料")


def require_editable(order: OrderRow) -> None:
    """Fields and documents change only before submission or after a rejection (ORG-MR-10)."""
    require_manual(order)
    if order.state not in EDITABLE:
        raise Conflict("order.not_editable",
                       f"业务单当前状态为「{order.state.label}」，不能修改资料；"
                       "仅未提交或审核驳回的业务单可以编辑")


def _org_fields(order: OrderRow, raw: ApplicationDraft) -> OrgApplication:
    org = order.certificate.organisation
    assert org is not None  # ORG certificates always name their organisation
    name = _text(raw.org_name, "org_name")
    if name != org.name:
        raise _invalid("org_name", "mismatch", "机构名称与证书登记的单位名称不一致，"
                                               "请按营业执照上的名称填写")
    id_type = (raw.org_id_type or ORG_ID_TYPE).strip()
    if id_type != ORG_ID_TYPE:
        raise _invalid("org_id_type", "unsupported", f"机构证件类型请选择“{ORG_ID_TYPE}”")
    uscc = validate_uscc(raw.org_id_number, field="org_id_number")
    if uscc != org.uscc:
        raise _invalid("org_id_number", "mismatch",
                       "机构证件号码与证书登记的统一社会信用代码不一致，请对照营业执照核对")
    if str(raw.fee if raw.fee is not None else "0").strip() not in ("0", "0.00"):
        raise _invalid("fee", "not_free", "证书解锁不收取费用，费用（元）应为0")
    region = validate_region(raw.province or "", raw.city or "")
    return OrgApplication(
        org_name=name, org_id_type=ORG_ID_TYPE, org_id_number=uscc, fee=0,
        province=region.province, city=region.city, address=_text(raw.address, "address"),
        operator_name=validate_person_name(raw.operator_name, field="operator_name"),
        operator_id_number=validate_resident_id(raw.operator_id_number,
                                                field="operator_id_number").number,
        operator_mobile=validate_mobile(raw.operator_mobile, field="operator_mobile"),
        operator_title=_text(raw.operator_title, "operator_title"),
        operator_email=validate_email(raw.operator_email, field="operator_email"))


def _personal_fields(order: OrderRow, raw: ApplicationDraft) -> PersonalApplication:
    holder = order.certificate.holder
    assert holder is not None  # personal certificates always name their holder
    name = validate_person_name(raw.applicant_name, field="applicant_name")
    id_number = validate_resident_id(raw.applicant_id_number,
                                     field="applicant_id_number").number
    if name != holder.name:
        raise _invalid("applicant_name", "mismatch",
                       "申请人姓名与证书登记信息不一致，请按证书持有人的身份证填写")
    if id_number != holder.id_number:
        raise _invalid("applicant_id_number", "mismatch",
                       "身份证号码与证书登记信息不一致，请核对后重新输入")
    return PersonalApplication(
        applicant_name=name, applicant_id_number=id_number,
        applicant_mobile=validate_mobile(raw.applicant_mobile, field="applicant_mobile"))


def validate_form(order: OrderRow, raw: ApplicationDraft) -> Application:
    """The normalised fields for this order's certificate kind; the first wrong field (in
    the form's order) raises with its own Chinese message."""
    is_org = order.certificate.kind is CertificateKind.ORG
    for field in PERSONAL_FIELDS if is_org else ORG_FIELDS:
        if getattr(raw, field) not in (None, ""):
            raise _invalid(field, "not_applicable",
                           f"{order.certificate.kind.label}无需填写“{LABELS[field]}”")
    return _org_fields(order, raw) if is_org else _personal_fields(order, raw)


def save_form(db: Session, order: OrderRow, raw: ApplicationDraft, now: datetime) -> None:
    require_editable(order)
    fields = validate_form(order, raw)
    current = order.form
    if current.fields == fields:
        return  # unchanged: keep the revision (and the printed PDF) as it is
    order.form = replace(current, fields=fields, revision=current.revision + 1, saved_at=now,
                         pdf=None)
    if isinstance(fields, OrgApplication):
        # The operator of a manual order is who the face check (ORG-MR-8) must match.
        order.operator_name = fields.operator_name
        order.operator_id_number = fields.operator_id_number
        order.operator_mobile = fields.operator_mobile
    order.updated_at = now
    db.flush()


def require_form(order: OrderRow) -> Application:
    fields = order.form.fields
    if fields is None:
        raise Conflict("form.missing", "请先填写并保存申请信息", "form")
    return fields


def form_data(order: OrderRow) -> ApplicationFormData:
    form = order.form
    fields = require_form(order)
    cert = order.certificate
    assert form.saved_at is not None  # saved together with the fields
    saved_at = form.saved_at.astimezone(CHINA_TZ)
    info = CertificateInfo(serial=cert.serial_hex, subject=cert.subject_dn, kind=cert.kind)
    if isinstance(fields, OrgApplication):
        person = PersonInfo(fields.operator_name, fields.operator_id_number,
                            fields.operator_mobile, fields.operator_title,
                            fields.operator_email)
        org = OrganisationInfo(fields.org_name, fields.org_id_number, fields.province,
                               fields.city, fields.address)
        return ApplicationFormData(order.order_no, info, person, org, saved_at)
    person = PersonInfo(fields.applicant_name, fields.applicant_id_number,
                        fields.applicant_mobile)
    return ApplicationFormData(order.order_no, info, person, None, saved_at)


def application_pdf(ctx: ServiceContext, load: OrderLoader) -> bytes:
    """The 申请表 of the current form revision: rendered on first download, then the
    stored bytes. The render (about a second of CPU) runs in the CPU pool with no
    transaction open; the result is recorded only if the form is still that revision
    and no concurrent download recorded one first (then that one is the answer)."""
    with ctx.db.session(readonly=True) as db:
        order = load(db)
        require_manual(order)
        data = form_data(order)
        revision, kept = order.form.revision, order.form.pdf_of_revision
    storage = storage_for(ctx)
    if kept is not None and storage.exists(kept.sha256):
        return storage.read(kept.sha256)
    pdf = ctx.cpu.run(cpu_tasks.render_form, data)
    stored = storage.put(pdf, "application/pdf")
    with ctx.db.session() as db:
        order = load(db)
        form = order.form
        if form.revision == revision:  # not edited while rendering
            winner = form.pdf_of_revision
            if winner is not None and storage.exists(winner.sha256):
                return storage.read(winner.sha256)
            order.form = replace(form, pdf=StoredPdf(revision, stored.sha256))
    log.info("application form of %s rendered (revision %s, %d bytes)", order.order_no,
             revision, len(pdf))
    return pdf
