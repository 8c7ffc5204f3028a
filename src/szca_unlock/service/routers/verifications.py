"""ORG-RT-6 (operator), ORG-RT-8 (enterprise), PER-RT-5 (identity): one set of routes.

The logic opens its own short transactions around the provider calls; the response is
read afterwards in a read-only one (``ReadDb``)."""

from __future__ import annotations

import base64

from fastapi import APIRouter, status

from szca_unlock.api.verifications import (
    DepositView,
    FaceView,
    StartVerification,
    SubmitCode,
    VerificationOutcome,
    VerificationView,
)
from szca_unlock.domain.validators import mask_mobile
from szca_unlock.domain.verification_methods import Check, Method, Step, method_label
from szca_unlock.service.deps import Applicant, Ctx, ReadDb, limit_by_address
from szca_unlock.service.logic import verification
from szca_unlock.service.responses import APPLICANT_ORDER, PROVIDER, errors
from szca_unlock.service.views import order_view
from szca_unlock.store.enums import VerificationStatus

router = APIRouter(prefix="/orders/{order_no}/verifications/{step}", tags=["verifications"],
                   dependencies=[limit_by_address("verification")],
                   responses=errors(*APPLICANT_ORDER, *PROVIDER))


def _message(attempt: verification.Attempt) -> str:
    row = attempt.row
    label = method_label(row.step, row.method)
    if row.status is VerificationStatus.PASSED:
        return f"{label}通过"
    if row.status is VerificationStatus.FAILED:
        return str(row.detail.get("message") or f"{label}未通过")
    check = Method(row.method).check
    if check is Check.FACE:
        return "请使用微信“扫一扫”扫描二维码,按提示完成人脸验证"
    if check is Check.DEPOSIT:
        return ("深圳CA已向贵司对公账户打款0.01元,备注为6位随机码,请向贵司财务获取后输入"
                if row.detail.get("transfer_status") == "transferred"
                else "打款处理中,到账后请向贵司财务获取备注中的随机码")
    return f"验证码已发送至尾号{str(row.detail.get('mobile', ''))[-4:]}的手机,请输入验证码"


def _view(ctx: Ctx, attempt: verification.Attempt) -> VerificationView:
    row = attempt.row
    check = Method(row.method).check
    mobile = row.detail.get("mobile")
    face = deposit = None
    if check is Check.FACE and attempt.qr_png is not None:
        face = FaceView(url=row.detail["url"],
                        qr_png_base64=base64.b64encode(attempt.qr_png).decode())
    elif check is Check.FACE:
        face = FaceView(url=row.detail.get("url", ""), qr_png_base64="")
    if check is Check.DEPOSIT:
        deposit = DepositView(amount=row.detail.get("amount", "0.01"),
                              status=row.detail.get("transfer_status", ""))
    pending_sms = mobile and row.status is VerificationStatus.PENDING
    return VerificationView(
        step=row.step, method=row.method, method_label=method_label(row.step, row.method),
        status=row.status.value, message=_message(attempt),
        mobile_masked=mask_mobile(mobile) if mobile else None,
        resend_after=int(ctx.otp_policy.resend_interval.total_seconds()) if pending_sms else None,
        attempts_left=(max(ctx.otp_policy.max_attempts - row.attempts, 0)
                       if pending_sms else None),
        expires_at=row.expires_at, face=face, deposit=deposit)


def _outcome(ctx: Ctx, db: ReadDb, attempt: verification.Attempt) -> VerificationOutcome:
    return VerificationOutcome(verification=_view(ctx, attempt),
                               order=order_view(db, attempt.order))


@router.post("", status_code=status.HTTP_201_CREATED)
def start_verification(order_no: str, step: Step, body: StartVerification, caller: Applicant,
                       ctx: Ctx, db: ReadDb) -> VerificationOutcome:
    return _outcome(ctx, db, verification.start(ctx, caller, order_no, step, body))


@router.get("")
def get_verification(order_no: str, step: Step, caller: Applicant, ctx: Ctx,
                     db: ReadDb) -> VerificationOutcome:
    return _outcome(ctx, db, verification.poll(ctx, caller, order_no, step))


@router.post("/code")
def submit_code(order_no: str, step: Step, body: SubmitCode, caller: Applicant, ctx: Ctx,
                db: ReadDb) -> VerificationOutcome:
    return _outcome(ctx, db, verification.submit_code(ctx, caller, order_no, step, body.code))


@router.post("/resend")
def resend_code(order_no: str, step: Step, caller: Applicant, ctx: Ctx,
                db: ReadDb) -> VerificationOutcome:
    return _outcome(ctx, db, verification.resend(ctx, caller, order_no, step))
