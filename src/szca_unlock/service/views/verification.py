"""ORG-RT-6 / ORG-RT-8 / PER-RT-5: one verification step as the user sees it, with the
sentence that tells them what to do next."""

from __future__ import annotations

import base64

from sqlalchemy.orm import Session

from szca_unlock.api.verifications import (
    DepositView,
    FaceView,
    VerificationOutcome,
    VerificationView,
)
from szca_unlock.domain.otp import OtpPolicy
from szca_unlock.domain.validators import mask_mobile
from szca_unlock.domain.verification_methods import Check, Method, method_label
from szca_unlock.service.logic.verification import Attempt
from szca_unlock.service.views.orders import order_view
from szca_unlock.store.enums import VerificationStatus


def _message(attempt: Attempt) -> str:
    row = attempt.row
    label = method_label(row.step, row.method)
    if row.status is VerificationStatus.PASSED:
        return f"{label}通过"
    if row.status is VerificationStatus.FAILED:
        return row.detail.message or f"{label}未通过"
    check = Method(row.method).check
    if check is Check.FACE:
        return "请使用微信“扫一扫”扫描二维码，按提示完成人脸验证"
    if check is Check.DEPOSIT:
        return ("深圳CA已向贵司对公账户打款0.01元，备注为6位随机码，请向贵司财务获取后输入"
                if row.detail.transfer_status == "transferred"
                else "打款处理中，到账后请向贵司财务获取备注中的随机码")
    return f"验证码已发送至尾号{(row.detail.mobile or '')[-4:]}的手机，请输入验证码"


def verification_view(attempt: Attempt, otp: OtpPolicy) -> VerificationView:
    row = attempt.row
    check = Method(row.method).check
    detail = row.detail
    mobile = detail.mobile
    face = deposit = None
    if check is Check.FACE:
        qr = base64.b64encode(attempt.qr_png).decode() if attempt.qr_png is not None else ""
        face = FaceView(url=detail.url or "", qr_png_base64=qr)
    if check is Check.DEPOSIT:
        deposit = DepositView(amount=detail.amount or "0.01",
                              status=detail.transfer_status or "")
    pending_sms = mobile and row.status is VerificationStatus.PENDING
    return VerificationView(
        step=row.step, method=row.method, method_label=method_label(row.step, row.method),
        status=row.status.value, message=_message(attempt),
        mobile_masked=mask_mobile(mobile) if mobile else None,
        resend_after=int(otp.resend_interval.total_seconds()) if pending_sms else None,
        attempts_left=max(otp.max_attempts - row.attempts, 0) if pending_sms else None,
        expires_at=row.expires_at, face=face, deposit=deposit)


def verification_outcome(db: Session, attempt: Attempt, otp: OtpPolicy) -> VerificationOutcome:
    """The step and the order it moved (read after the logic's own commits)."""
    return VerificationOutcome(verification=verification_view(attempt, otp),
                               order=order_view(db, attempt.order))
