"""The provider side of each verification method: the service runs every check itself.

Each ``start_*`` returns the detail to store on the verification row or raises the
user-facing refusal (``CheckFailed``) with the provider's own message (FAQ-1 for a
carrier mismatch).
"""

from __future__ import annotations

from dataclasses import dataclass

from szca_unlock.domain.errors import DomainError
from szca_unlock.domain.validators import validate_bank_card, validate_mobile
from szca_unlock.domain.verification_detail import VerificationDetail
from szca_unlock.domain.verification_methods import Check, VerificationRequest
from szca_unlock.service.context import ServiceContext
from szca_unlock.service.logic.identity import Person


class CheckFailed(DomainError):
    """The provider said no: the order stays where it is, the attempt is recorded."""

    def __init__(self, code: str, message: str, field: str | None = None,
                 *, outcome: str) -> None:
        super().__init__(code, message, field)
        self.outcome = outcome


@dataclass(frozen=True)
class Started:
    provider_ref: str | None
    detail: VerificationDetail
    sms_to: str | None = None  # the mobile an OTP must now be sent to


def _required(value: str | None, field: str, what: str) -> str:
    if not value:
        raise DomainError(f"{field}.required", f"请填写{what}", field)
    return value


def start_carrier(ctx: ServiceContext, person: Person, body: VerificationRequest) -> Started:
    mobile = validate_mobile(_required(body.mobile, "mobile", "本人实名手机号码"))
    result = ctx.providers.carrier.verify(person.name, person.id_number, mobile)
    if not result.verified:
        code = "carrier_mismatch" if result.mismatch_from_carrier else f"carrier_{result.outcome}"
        raise CheckFailed(code, result.message, "mobile", outcome=str(result.outcome))
    return Started(None, VerificationDetail(mobile=mobile, isp=result.isp), sms_to=mobile)


def start_bank(ctx: ServiceContext, person: Person, body: VerificationRequest) -> Started:
    card = validate_bank_card(_required(body.bank_card, "bank_card", "银行卡号"))
    mobile = validate_mobile(_required(body.mobile, "mobile", "银行预留手机号码"))
    result = ctx.providers.bank_card.verify(person.name, person.id_number, card, mobile)
    if not result.verified:
        field = "mobile" if result.outcome == "mobile_mismatch" else "bank_card"
        raise CheckFailed(f"bank_{result.outcome}", result.message, field,
                          outcome=str(result.outcome))
    return Started(None, VerificationDetail(mobile=mobile, card_tail=card[-4:]), sms_to=mobile)


def start_face(ctx: ServiceContext, person: Person, body: VerificationRequest) -> Started:
    session = ctx.providers.face.start(person.name, person.id_number, ctx.face_redirect_url)
    return Started(session.biz_token, VerificationDetail(url=session.url,
                                                         face_expires_at=session.expires_at))


def start_deposit(ctx: ServiceContext, company_name: str, body: VerificationRequest,
                  order_no: str) -> Started:
    bank = _required(body.bank_name, "bank_name", "开户银行")
    branch = _required(body.branch_name, "branch_name", "开户支行")
    account = _required(body.account_number, "account_number", "对公账号")
    transfer = ctx.providers.deposit.initiate(company_name, bank, branch, account,
                                              reference=order_no)
    if transfer.status == "failed":
        raise CheckFailed("deposit_transfer_failed",
                          "向该对公账户打款失败，请核对账户信息或更换对公账户后重新发起验证",
                          "account_number", outcome="failed")
    return Started(transfer.verification_id,
                   VerificationDetail(account_tail=account[-4:],
                                      transfer_status=str(transfer.status),
                                      amount=str(transfer.amount or "0.01")))


STARTERS = {Check.CARRIER: start_carrier, Check.BANK: start_bank, Check.FACE: start_face}
