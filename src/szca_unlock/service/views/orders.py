"""Orders and certificates as the user sees them: 我的业务单, one order with its progress and
history, the certificate found by serial, the 恭喜!审核已通过 screen."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from szca_unlock.api.orders import (
    CertificateView,
    HistoryEntry,
    MethodChoice,
    MethodOption,
    OrderList,
    OrderSummary,
    OrderView,
    OrganisationView,
    ProgressView,
    ResultScreen,
    UnlockStatusView,
    VerificationSummary,
)
from szca_unlock.domain.certificates import Certificate, CertificateKind
from szca_unlock.domain.orders import (
    OrderEvent,
    OrderMode,
    OrderState,
    allowed_events,
    personal_manual_progress,
    realtime_progress,
)
from szca_unlock.domain.validators import mask_id_number, mask_person_name, mask_uscc
from szca_unlock.domain.verification_methods import (
    DEFAULT_METHOD,
    STEP_METHODS,
    Step,
    method_label,
)
from szca_unlock.service.logic.certificates import holder_name
from szca_unlock.service.logic.orders import UNLOCKABLE
from szca_unlock.store.enums import AuthorisationKind
from szca_unlock.store.models_orders import OrderRow
from szca_unlock.store.pages import OrderListRow, Page
from szca_unlock.store.repo_order_parts import list_order_authorisations, list_verifications
from szca_unlock.store.repo_orders import CHINA_TZ, list_transitions
from szca_unlock.store.repo_pki import certificate_from_row


def _masked_dn(cert: Certificate) -> str:
    dn = cert.subject_dn
    if cert.holder is not None:
        dn = dn.replace(cert.holder.name, mask_person_name(cert.holder.name))
    if cert.organisation is not None:
        dn = dn.replace(cert.organisation.uscc, mask_uscc(cert.organisation.uscc))
    return dn


def certificate_view(cert: Certificate, *, masked: bool = True) -> CertificateView:
    """The lookup (C-2, anyone logged in) masks the person's name and the USCC, in the DN
    too, and shows the organisation's name, so the holder can recognise the certificate
    ("确认无误"). Inside an order (``masked=False``) the screens of the manual show them in
    full (PER-RT-5 申请人姓名, ORG-RT-5 单位信息, ORG-MR-5 the prefilled form)."""
    org = cert.organisation
    name, subject_dn, uscc = holder_name(cert), cert.subject_dn, org.uscc if org else ""
    if masked:
        subject_dn, uscc = _masked_dn(cert), mask_uscc(uscc)
        if cert.holder is not None:
            name = mask_person_name(name)
    return CertificateView(
        serial=cert.serial_hex, kind=cert.kind.value, kind_label=cert.kind.label,
        medical=cert.medical, type_label=cert.type_label, subject_dn=subject_dn,
        holder_name=name,
        # The lookup shows no part of an ID number; inside the order, PER-RT-5 masks it.
        holder_id_masked=(mask_id_number(cert.holder.id_number)
                          if cert.holder and not masked else None),
        organisation=OrganisationView(name=org.name, uscc=uscc) if org else None,
        not_before=cert.not_before, not_after=cert.not_after, status=cert.status.value,
        status_label=cert.status.label)


def order_summary(order: OrderRow) -> OrderSummary:
    cert = order.certificate
    return OrderSummary(
        order_no=order.order_no, mode=order.mode.value, mode_label=order.mode.label,
        state=order.state.value, state_label=order.state.label,
        certificate_serial=cert.serial_hex, certificate_type=_type_label(order),
        subject_dn=cert.subject_dn, created_at=order.created_at, updated_at=order.updated_at)


def _type_label(order: OrderRow) -> str:
    return type_label(order.certificate.kind, order.certificate.medical)


def type_label(kind: CertificateKind, medical: bool) -> str:
    return f"{kind.label}（医疗类）" if medical else kind.label


def list_row_summary(row: OrderListRow) -> OrderSummary:
    """A list row (no DER, no form: store/pages.py) as 我的业务单 shows it."""
    return OrderSummary(
        order_no=row.order_no, mode=row.mode.value, mode_label=row.mode.label,
        state=row.state.value, state_label=row.state.label,
        certificate_serial=row.certificate_serial,
        certificate_type=type_label(row.certificate_kind, row.medical),
        subject_dn=row.subject_dn, created_at=row.created_at, updated_at=row.updated_at)


def _progress(order: OrderRow) -> ProgressView | None:
    """The real-time progress bar, or the PER-MR wizard (ORG-MR pages show none)."""
    kind = order.certificate.kind
    try:
        if order.mode is OrderMode.REALTIME:
            progress = realtime_progress(order.state, kind)
        elif kind is not CertificateKind.ORG:
            form = order.form
            progress = personal_manual_progress(order.state, form_saved=form.fields is not None,
                                                form_printed=form.pdf is not None)
        else:
            return None
    except ValueError:  # CANCELLED: no bar
        return None
    return ProgressView(steps=list(progress.steps), current=progress.current,
                        current_label=progress.current_label, done=progress.done)


def next_steps(order: OrderRow) -> list[str]:
    """Machine names of what the owner may do now (``unlock`` when 立即解锁 is offered)."""
    events = allowed_events(order.state, mode=order.mode, kind=order.certificate.kind)
    # Staff decide reviews; the unlock itself is driven by the key, shown as "unlock".
    hidden = {OrderEvent.APPROVE, OrderEvent.REJECT, OrderEvent.COMPLETE_UNLOCK}
    steps = sorted(e.value for e in events if e not in hidden)
    if order.state in UNLOCKABLE:
        steps.insert(0, "unlock")
    return steps


def _beijing(at: datetime) -> str:
    return at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")


def unlock_status(db: Session, order: OrderRow) -> UnlockStatusView | None:
    """The latest authorisation (the live one: a newer one supersedes the older) and what
    is known about it: the service cannot see the key, only what reached it."""
    issued = list_order_authorisations(db, order)
    if not issued:
        return None
    latest = next((a for a in issued if a.confirmed_at is not None), issued[-1])
    key = latest.key_serial
    if latest.confirmed_at is not None:
        status, message = "confirmed", f"U-KEY {key} 已于{_beijing(latest.confirmed_at)}完成解锁"
    elif latest.kind is AuthorisationKind.SO_PIN:
        status, message = "awaiting_confirmation", (
            f"已于{_beijing(latest.issued_at)}向深圳CA驱动程序下发令牌 {key} 的管理员密码，"
            "尚未收到解锁确认。请在原电脑上重新运行深圳CA驱动程序完成确认，管理员密码不会再次下发")
    else:
        status, message = "awaiting_confirmation", (
            f"已于{_beijing(latest.issued_at)}签发U-KEY {key} 的解锁授权，尚未收到解锁确认。"
            "若U-KEY已设置新密码，请插入该U-KEY再次点击“立即解锁”：系统读取U-KEY中的解锁记录"
            "完成确认，不会再次重置密码")
    return UnlockStatusView(kind=latest.kind.value, key_serial=key, status=status,
                            issued_at=latest.issued_at, expires_at=latest.expires_at,
                            confirmed_at=latest.confirmed_at, attempts=len(issued),
                            message=message)


def order_view(db: Session, order: OrderRow) -> OrderView:
    summary = order_summary(order)
    history = [HistoryEntry(event=t.event.value, label=t.event.label,
                            from_state=t.from_state.value, to_state=t.to_state.value,
                            to_state_label=OrderState(t.to_state).label, at=t.at, note=t.note)
               for t in list_transitions(db, order)]
    verifications = [VerificationSummary(step=v.step, method=v.method,
                                         method_label=method_label(v.step, v.method),
                                         status=v.status.value, at=v.updated_at)
                     for v in list_verifications(db, order)]
    return OrderView(
        **summary.model_dump(), key_serial=order.key_serial,
        certificate=certificate_view(certificate_from_row(order.certificate), masked=False),
        progress=_progress(order), next_steps=next_steps(order), history=history,
        verifications=verifications, review_round=order.review_round,
        review_deadline=order.review_deadline, unlock=unlock_status(db, order),
        method_choices=method_choices(order))


def method_choices(order: OrderRow) -> list[MethodChoice]:
    """The 验证方式 drop-downs of a real-time order (ORG: 经办人 then 企业; else 本人)."""
    if order.mode is not OrderMode.REALTIME:
        return []
    steps = ((Step.OPERATOR, Step.ENTERPRISE) if order.certificate.kind is CertificateKind.ORG
             else (Step.IDENTITY,))
    return [MethodChoice(step=step.value, step_label=step.label,
                         options=[MethodOption(method=m.value, label=label)
                                  for m, label in STEP_METHODS[step].items()],
                         default=DEFAULT_METHOD[step].value) for step in steps]


def order_list(page: Page) -> OrderList:
    """One page of 我的业务单 (store/pages.py)."""
    return OrderList(orders=[list_row_summary(r) for r in page.rows],
                     next_cursor=page.next_cursor)


def result_screen(order: OrderRow) -> ResultScreen:
    """The 恭喜!审核已通过 screen with the 立即解锁 button."""
    summary = order_summary(order)
    return ResultScreen(title="恭喜！审核已通过", order_no=order.order_no,
                        subject_dn=summary.subject_dn,
                        certificate_type=summary.certificate_type, action="立即解锁")
