"""Corporate micro-deposit backend: a 0.01 transfer with a 6-digit remark, statement, confirm."""

from __future__ import annotations

import secrets
import threading
import uuid
from dataclasses import dataclass
from typing import Any

from ..clock import Clock, iso_utc
from ..records import CorporateAccount, IdentityRecords
from .errors import (
    AccountNameMismatch,
    AccountNotFound,
    AttemptsExhausted,
    CodeMismatch,
    TransferFailed,
    TransferPending,
    ValidationFailed,
    VerificationExpired,
    VerificationNotFound,
)

AMOUNT = "0.01"
LIFETIME_S = 30 * 60
MAX_ATTEMPTS = 3
PAYER = "深圳市电子商务安全证书管理有限公司"
MAGIC_ACCOUNTS = {"990000000000": "transferred", "990000000202": "pending",
                  "990000000500": "failed", "990000000404": "account_not_found",
                  "990000000422": "name_mismatch"}
CREATE_OUTCOMES = frozenset(MAGIC_ACCOUNTS.values())
CONFIRM_OUTCOMES = frozenset({"verified", "code_mismatch", "expired", "attempts_exhausted"})


@dataclass
class Verification:
    verification_id: str
    account: CorporateAccount
    code: str
    status: str  # transferred | pending | failed | verified
    created_at: float
    expires_at: float
    attempts_left: int = MAX_ATTEMPTS
    credited_at: float | None = None
    reference: str | None = None

    def as_dict(self, now: float) -> dict[str, Any]:
        status = self.status
        if status in ("transferred", "pending") and now > self.expires_at:
            status = "expired"
        return {"verification_id": self.verification_id, "status": status, "amount": AMOUNT,
                "expires_at": iso_utc(self.expires_at)}


class DepositBackend:
    def __init__(self, records: IdentityRecords, clock: Clock) -> None:
        self._records = records
        self._clock = clock
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._verifications: dict[str, Verification] = {}

    def create(self, *, company_name: str, bank_name: str, branch_name: str, account_number: str,
               reference: str | None = None, forced: str | None = None) -> Verification:
        fields = (company_name, bank_name, branch_name, account_number)
        if not all(f.strip() for f in fields):
            raise ValidationFailed("企业名称、开户银行、开户网点和对公账号均为必填项")
        outcome = forced or MAGIC_ACCOUNTS.get(account_number.strip())
        account = self._account(company_name.strip(), bank_name.strip(), branch_name.strip(),
                                account_number.strip(), outcome)
        status = outcome if outcome in ("pending", "failed") else "transferred"
        now = self._clock.now()
        verification = Verification(f"dv_{uuid.uuid4().hex[:20]}", account,
                                    f"{secrets.randbelow(10**6):06d}", status, now,
                                    now + LIFETIME_S,
                                    credited_at=now if status == "transferred" else None,
                                    reference=reference)
        with self._lock:
            self._verifications[verification.verification_id] = verification
        return verification

    def _account(self, company: str, bank: str, branch: str, number: str,
                 outcome: str | None) -> CorporateAccount:
        if outcome == "account_not_found":
            raise AccountNotFound()
        if outcome == "name_mismatch":
            raise AccountNameMismatch()
        if outcome is not None:
            return CorporateAccount(company, bank, branch, number)
        account = self._records.accounts.get(number)
        if account is None:
            raise AccountNotFound()
        if account.company_name != company:
            raise AccountNameMismatch()
        return account

    def get(self, verification_id: str) -> Verification:
        verification = self._verifications.get(verification_id)
        if verification is None:
            raise VerificationNotFound()
        return verification

    def confirm(self, verification_id: str, code: str, forced: str | None = None) -> Verification:
        verification = self.get(verification_id)
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise ValidationFailed("验证码应为6位数字")
        with self._lock:
            return self._confirm(verification, code, forced)

    def _confirm(self, v: Verification, code: str, forced: str | None) -> Verification:
        if forced == "verified":
            v.status = "verified"
        if v.status == "verified":
            return v
        if forced == "expired" or self._clock.now() > v.expires_at:
            raise VerificationExpired()
        if forced == "attempts_exhausted" or v.attempts_left <= 0:
            v.attempts_left = 0
            raise AttemptsExhausted()
        if v.status == "pending":
            raise TransferPending()
        if v.status == "failed":
            raise TransferFailed()
        if forced == "code_mismatch" or not secrets.compare_digest(code, v.code):
            v.attempts_left -= 1
            if v.attempts_left <= 0:
                raise AttemptsExhausted()
            raise CodeMismatch(attempts_left=v.attempts_left)
        v.status = "verified"
        return v

    def settle(self, verification_id: str, result: str) -> Verification:
        """The bank settles a pending transfer (control API)."""
        if result not in ("transferred", "failed"):
            raise ValueError(f"result must be transferred or failed, got {result!r}")
        verification = self.get(verification_id)
        with self._lock:
            if verification.status != "pending":
                raise TransferPending(f"只有处理中的打款可以结算，当前状态 {verification.status}")
            verification.status = result
            if result == "transferred":
                verification.credited_at = self._clock.now()
        return verification

    def statement(self, account_number: str) -> list[dict[str, Any]]:
        """What the company's finance staff see: each settled credit and remark, newest first."""
        with self._lock:
            items = [v for v in self._verifications.values()
                     if v.account.account_number == account_number and v.credited_at is not None]
        items.sort(key=lambda v: v.credited_at or 0, reverse=True)
        return [{"verification_id": v.verification_id, "amount": AMOUNT, "remark": v.code,
                 "payer": PAYER, "account_name": v.account.company_name,
                 "credited_at": iso_utc(v.credited_at or 0), "reference": v.reference}
                for v in items]
