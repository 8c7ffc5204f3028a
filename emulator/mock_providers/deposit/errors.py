"""Micro-deposit API errors, one class per code, rendered as ``{"error": {"code", "message"}}``."""

from __future__ import annotations


class DepositError(Exception):
    status = 400
    code = "BAD_REQUEST"
    message = "请求有误"

    def __init__(self, message: str | None = None, **extra: object) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message
        self.extra = extra

    def body(self) -> dict[str, object]:
        return {"error": {"code": self.code, "message": self.message, **self.extra}}


class SignatureInvalid(DepositError):
    status, code, message = 401, "SIGNATURE_INVALID", "签名校验失败"


class AccountNotFound(DepositError):
    status, code, message = 404, "ACCOUNT_NOT_FOUND", "对公账户不存在"


class VerificationNotFound(DepositError):
    status, code, message = 404, "VERIFICATION_NOT_FOUND", "打款验证记录不存在"


class AccountNameMismatch(DepositError):
    status, code, message = 422, "ACCOUNT_NAME_MISMATCH", "账户名称与企业名称不一致"


class ValidationFailed(DepositError):
    status, code, message = 422, "VALIDATION_ERROR", "请求参数有误"


class TransferPending(DepositError):
    status, code, message = 409, "TRANSFER_PENDING", "打款处理中，请稍后再试"


class TransferFailed(DepositError):
    status, code, message = 409, "TRANSFER_FAILED", "打款失败"


class CodeMismatch(DepositError):
    status, code, message = 400, "CODE_MISMATCH", "验证码错误"


class VerificationExpired(DepositError):
    status, code, message = 410, "VERIFICATION_EXPIRED", "验证已过期，请重新发起打款"


class AttemptsExhausted(DepositError):
    status, code, message = 429, "ATTEMPTS_EXHAUSTED", "验证码错误次数过多，请重新发起打款"
