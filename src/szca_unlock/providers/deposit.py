"""Corporate micro-deposit client (ORG-RT-8d): a ``requests`` client of our own REST API.

The CA transfers 0.01 yuan to the company's account with a 6-digit code in the remark;
finance reads it; the user types it in. Contract in docs/providers.md ("/deposit/v1").
Only ``status`` (a GET) is retried; ``initiate`` moves money and ``confirm`` spends one of
the three attempts, so neither is repeated after a fault.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any
from urllib.parse import quote, urlsplit

import requests

from szca_unlock.config import ProviderEndpoints
from szca_unlock.logsetup import get_logger, mask_value
from szca_unlock.providers._deposit_auth import auth_headers
from szca_unlock.providers._retry import NO_RETRY, RetryPolicy
from szca_unlock.providers.errors import (
    FaultKind,
    Provider,
    ProviderError,
    ProviderRejected,
    ProviderUnavailable,
)

_log = get_logger("providers.deposit")

CODE_LIFETIME_MINUTES = 30
MAX_ATTEMPTS = 3


class TransferStatus(StrEnum):
    TRANSFERRED = "transferred"  # credited: finance can read the remark code
    PENDING = "pending"  # the bank has not settled yet
    FAILED = "failed"  # the transfer bounced
    VERIFIED = "verified"  # the code was confirmed
    EXPIRED = "expired"


class DepositErrorCode(StrEnum):
    ACCOUNT_NOT_FOUND = "ACCOUNT_NOT_FOUND"
    ACCOUNT_NAME_MISMATCH = "ACCOUNT_NAME_MISMATCH"
    VERIFICATION_NOT_FOUND = "VERIFICATION_NOT_FOUND"
    VALIDATION_ERROR = "VALIDATION_ERROR"
    TRANSFER_PENDING = "TRANSFER_PENDING"
    TRANSFER_FAILED = "TRANSFER_FAILED"
    CODE_MISMATCH = "CODE_MISMATCH"
    VERIFICATION_EXPIRED = "VERIFICATION_EXPIRED"
    ATTEMPTS_EXHAUSTED = "ATTEMPTS_EXHAUSTED"


_E = DepositErrorCode
_MESSAGES: dict[DepositErrorCode, tuple[str, str | None]] = {  # message, form field
    _E.ACCOUNT_NOT_FOUND: (
        "未找到该对公账户，请核对开户银行、开户支行和银行账号后重试", "account_number"),
    _E.ACCOUNT_NAME_MISMATCH: (
        "对公账户户名与企业名称不一致，请填写以本企业名称开立的对公账户", "account_number"),
    _E.VERIFICATION_NOT_FOUND: ("未找到该打款验证记录，请重新发起企业对公打款验证", None),
    _E.VALIDATION_ERROR: (
        "填写的信息有误：对公账户信息不能为空，随机码应为6位数字，请核对后重试", None),
    _E.TRANSFER_PENDING: (
        "打款处理中，到账后请向贵司财务获取备注中的随机码，再输入验证", None),
    _E.TRANSFER_FAILED: (
        "向该对公账户打款失败，请核对账户信息或更换对公账户后重新发起验证", None),
    _E.CODE_MISMATCH: (
        "随机码不正确，请向贵司财务核对0.01元入账记录备注中的6位随机码，还可尝试{n}次", "code"),
    _E.VERIFICATION_EXPIRED: (
        f"随机码已过期（有效期{CODE_LIFETIME_MINUTES}分钟），请重新发起企业对公打款验证", "code"),
    _E.ATTEMPTS_EXHAUSTED: ("随机码错误次数过多，请重新发起企业对公打款验证", "code"),
}


class DepositRejected(ProviderError):
    """The deposit API refused for a reason the user can act on; ``reason`` says which."""

    def __init__(self, reason: DepositErrorCode, *, http_status: int,
                 attempts_left: int | None = None, detail: str = "") -> None:
        template, field = _MESSAGES[reason]
        super().__init__(
            Provider.DEPOSIT, f"provider.deposit.{reason.value.lower()}",
            template.format(n=attempts_left if attempts_left is not None else 0),
            raw_code=reason.value, http_status=http_status, detail=detail, field=field,
        )
        self.reason = reason
        self.attempts_left = attempts_left


@dataclass(frozen=True)
class DepositTransfer:
    """One micro-deposit verification as the API reports it."""

    verification_id: str
    status: TransferStatus
    amount: Decimal | None = None
    expires_at: datetime | None = None

    @property
    def code_available(self) -> bool:
        """True once the money arrived, so finance can read the remark code."""
        return self.status is TransferStatus.TRANSFERRED

    @property
    def verified(self) -> bool:
        return self.status is TransferStatus.VERIFIED


class DepositClient:
    """``initiate``, ``status`` and ``confirm`` against ``/deposit/v1/verifications``."""

    def __init__(self, endpoints: ProviderEndpoints, *, retry: RetryPolicy | None = None,
                 session: requests.Session | None = None) -> None:
        self._base = endpoints.deposit_base_url.rstrip("/")
        self._prefix = urlsplit(self._base).path.rstrip("/") + "/v1/verifications"
        self._origin = self._base[: len(self._base) - len(urlsplit(self._base).path)]
        self._key_id, self._secret = endpoints.deposit_key_id, endpoints.deposit_secret
        self._timeout = endpoints.timeout_s
        self._retry = retry or RetryPolicy()
        self._session = session or requests.Session()

    def initiate(self, company_name: str, bank_name: str, branch_name: str,
                 account_number: str, reference: str | None = None) -> DepositTransfer:
        """Pay 0.01 with a code in the remark; ``reference`` (the order number) is what the
        transfer is filed under, so finance can tell two orders' transfers apart."""
        body = {"company_name": company_name, "bank_name": bank_name,
                "branch_name": branch_name, "account_number": account_number}
        if reference:
            body["reference"] = reference
        data = self._request("POST", self._prefix, body, NO_RETRY)
        transfer = _transfer(data)
        _log.info("deposit initiated account=%s id=%s status=%s", _tail(account_number),
                  transfer.verification_id, transfer.status)
        return transfer

    def status(self, verification_id: str) -> DepositTransfer:
        path = f"{self._prefix}/{quote(verification_id, safe='')}"
        return _transfer(self._request("GET", path, None, self._retry))

    def confirm(self, verification_id: str, code: str) -> DepositTransfer:
        path = f"{self._prefix}/{quote(verification_id, safe='')}/confirm"
        transfer = _transfer(self._request("POST", path, {"code": code}, NO_RETRY))
        _log.info("deposit %s confirmed: %s", verification_id, transfer.status)
        return transfer

    def _request(self, method: str, path: str, body: dict[str, str] | None,
                 retry: RetryPolicy) -> dict[str, Any]:
        raw = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
        return retry.run(lambda: self._send(method, path, raw), what=f"deposit {method} {path}")

    def _send(self, method: str, path: str, raw: bytes) -> dict[str, Any]:
        # Signed per attempt: the nonce is single use, so a retry needs a fresh one.
        headers = auth_headers(self._key_id, self._secret, method, path, raw)
        if raw:
            headers["Content-Type"] = "application/json"
        try:
            response = self._session.request(method, self._origin + path, data=raw or None,
                                             headers=headers, timeout=self._timeout)
            body = response.content  # reading the body may still time out or be reset
        except requests.Timeout as exc:
            raise _unavailable(FaultKind.TIMEOUT, None, exc) from exc
        except requests.RequestException as exc:  # refused, reset, truncated chunks ...
            raise _unavailable(FaultKind.CONNECTION, None, exc) from exc
        try:
            payload = json.loads(body)
        except ValueError as exc:  # not JSON (also a 5xx text/plain page)
            status = response.status_code
            kind = FaultKind.HTTP_5XX if status >= 500 else FaultKind.MALFORMED
            raise _unavailable(kind, status, exc) from exc
        if response.status_code >= 500:
            raise _unavailable(FaultKind.HTTP_5XX, response.status_code, None)
        if response.status_code >= 400:
            raise _error(response.status_code, payload)
        if not isinstance(payload, dict):
            raise _unavailable(FaultKind.MALFORMED, response.status_code, None)
        return payload


def _tail(account_number: str) -> str:
    """Corporate account numbers are often shorter than a card: mask all but the last 4."""
    return "*" * max(len(account_number) - 4, 0) + account_number[-4:]


def _unavailable(kind: FaultKind, status: int | None, exc: Exception | None) -> ProviderUnavailable:
    detail = f"{type(exc).__name__}: {exc}" if exc else f"HTTP {status}"
    _log.warning("deposit API unavailable: %s %s", kind, mask_value(detail))
    return ProviderUnavailable(Provider.DEPOSIT, kind, http_status=status, detail=detail[:300])


def _error(status: int, payload: Any) -> ProviderError:
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict):
        return _unavailable(FaultKind.MALFORMED, status, None)
    code = str(error.get("code", ""))
    try:
        reason = DepositErrorCode(code)
    except ValueError:  # SIGNATURE_INVALID and anything unknown: our fault, not the user's
        return ProviderRejected(Provider.DEPOSIT, raw_code=code, http_status=status,
                                detail=str(error.get("message", "")))
    attempts = error.get("attempts_left")
    return DepositRejected(reason, http_status=status,
                           attempts_left=int(attempts) if attempts is not None else None,
                           detail=str(error.get("message", "")))


def _transfer(data: dict[str, Any]) -> DepositTransfer:
    try:
        amount = data.get("amount")
        expires = data.get("expires_at")
        return DepositTransfer(
            verification_id=str(data["verification_id"]),
            status=TransferStatus(data["status"]),
            amount=Decimal(str(amount)) if amount is not None else None,
            expires_at=datetime.fromisoformat(expires) if expires else None,
        )
    except (KeyError, ValueError, InvalidOperation) as exc:
        raise _unavailable(FaultKind.MALFORMED, 200, exc) from exc
