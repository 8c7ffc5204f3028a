"""One-time codes (login SMS codes and identity-check SMS codes): policy, hashing, checks.

Pure logic: the caller stores an ``OtpRecord`` (hash only, never the code) and the
attempt counter; these functions decide what a typed code is worth and which error the
user sees. The manual shows a 59 s resend countdown; we choose the figures below and
document them in docs/decisions/service.md.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from szca_unlock.domain.errors import CS_HELP, DomainError
from szca_unlock.domain.rate_limit import RateLimited


@dataclass(frozen=True)
class OtpPolicy:
    length: int = 6
    ttl: timedelta = timedelta(minutes=5)
    resend_interval: timedelta = timedelta(seconds=60)
    max_attempts: int = 5
    max_per_hour: int = 10


DEFAULT_POLICY = OtpPolicy()


def generate_code(policy: OtpPolicy = DEFAULT_POLICY) -> str:
    """A uniformly random numeric code of ``policy.length`` digits (leading zeros kept)."""
    return f"{secrets.randbelow(10**policy.length):0{policy.length}d}"


def hash_code(pepper: bytes, subject: str, code: str) -> str:
    """HMAC-SHA256 keyed by a server secret: a 6-digit code alone is brute-forced in
    a second, so a stolen table must not reveal codes without the key. ``subject``
    (mobile or verification id) binds the hash to what the code was sent for."""
    return hmac.new(pepper, f"{subject}\x00{code}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class OtpRecord:
    """What is stored about one issued code."""

    code_hash: str
    created_at: datetime
    expires_at: datetime
    attempts: int = 0
    used: bool = False


def issue(pepper: bytes, subject: str, now: datetime,
          policy: OtpPolicy = DEFAULT_POLICY) -> tuple[str, OtpRecord]:
    """A fresh code (to send, never to store) and the record to store."""
    code = generate_code(policy)
    return code, OtpRecord(hash_code(pepper, subject, code), now, now + policy.ttl)


def check_can_issue(issued_at: Sequence[datetime], now: datetime,
                    policy: OtpPolicy = DEFAULT_POLICY) -> None:
    """Raise ``RateLimited`` if a new code may not be sent yet.

    ``issued_at``: creation times of the codes already sent to this subject (any order).
    """
    recent = [t for t in issued_at if now - t < timedelta(hours=1)]
    if recent:
        since_last = now - max(recent)
        if since_last < policy.resend_interval:
            wait = _ceil_seconds(policy.resend_interval - since_last)
            raise RateLimited("otp.resend_too_soon",
                              f"验证码已发送，请{wait}秒后再重新获取", wait)
    if len(recent) >= policy.max_per_hour:
        wait = _ceil_seconds(min(recent) + timedelta(hours=1) - now)
        raise RateLimited("otp.hourly_limit",
                          f"该手机号获取验证码过于频繁（每小时最多{policy.max_per_hour}次），"
                          f"请{_minutes(wait)}后再试", wait, help=CS_HELP)


class OtpOutcome(StrEnum):
    OK = "ok"
    MISMATCH = "mismatch"
    EXPIRED = "expired"
    USED = "used"
    EXHAUSTED = "exhausted"


@dataclass(frozen=True)
class OtpCheck:
    outcome: OtpOutcome
    record: OtpRecord  # the record to store back (attempts counted, used flag set)
    attempts_left: int

    def raise_for_outcome(self) -> None:
        """Turn a failed check into the error the user sees (no-op when OK)."""
        if self.outcome is OtpOutcome.OK:
            return
        raise otp_error(self.outcome, self.attempts_left)


def verify(record: OtpRecord, pepper: bytes, subject: str, code: str, now: datetime,
           policy: OtpPolicy = DEFAULT_POLICY) -> OtpCheck:
    """Check a typed code. Every wrong try counts, even the one that exhausts the code;
    a used, expired or exhausted code is refused before its hash is compared."""
    left = max(policy.max_attempts - record.attempts, 0)
    if record.used:
        return OtpCheck(OtpOutcome.USED, record, left)
    if left == 0:
        return OtpCheck(OtpOutcome.EXHAUSTED, record, 0)
    if now >= record.expires_at:
        return OtpCheck(OtpOutcome.EXPIRED, record, left)
    typed = code.strip()
    if hmac.compare_digest(hash_code(pepper, subject, typed), record.code_hash):
        return OtpCheck(OtpOutcome.OK, replace(record, used=True), left)
    counted = replace(record, attempts=record.attempts + 1)
    left -= 1
    return OtpCheck(OtpOutcome.EXHAUSTED if left == 0 else OtpOutcome.MISMATCH, counted, left)


def otp_error(outcome: OtpOutcome, attempts_left: int) -> DomainError:
    field = "code"
    if outcome is OtpOutcome.MISMATCH:
        return DomainError("otp.mismatch",
                           f"验证码不正确，请核对后重新输入（还可尝试{attempts_left}次）", field)
    if outcome is OtpOutcome.EXPIRED:
        return DomainError("otp.expired", "验证码已过期，请重新获取验证码", field)
    if outcome is OtpOutcome.USED:
        return DomainError("otp.used", "验证码已使用，请重新获取验证码", field)
    return DomainError("otp.exhausted",
                       "验证码错误次数过多，该验证码已失效，请重新获取验证码", field, help=CS_HELP)


def _ceil_seconds(delta: timedelta) -> int:
    return max(1, -int(-delta.total_seconds() // 1))


def _minutes(seconds: int) -> str:
    return f"{-(-seconds // 60)}分钟"
