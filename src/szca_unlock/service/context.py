"""Everything a request handler needs, built once per app and injected (tests pass fakes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from szca_unlock.config import Settings
from szca_unlock.domain.otp import DEFAULT_POLICY, OtpPolicy
from szca_unlock.domain.rate_limit import Limit, RequestLimiter
from szca_unlock.providers import ProviderClients
from szca_unlock.service.cpu_pool import CpuPool
from szca_unlock.store.database import Database
from szca_unlock.unlock import UnlockAuthority

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """Aware UTC, as the store expects and returns."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class SessionPolicy:
    idle_timeout: timedelta = timedelta(minutes=30)
    max_lifetime: timedelta = timedelta(hours=8)


_HOUR, _TEN_MINUTES, _MINUTE = timedelta(hours=1), timedelta(minutes=10), timedelta(minutes=1)


@dataclass(frozen=True)
class RequestLimits:
    """Per client address, on top of the per-mobile OTP limits kept in the database."""

    sms_code: Limit = field(default_factory=lambda: Limit("sms_code", 20, _HOUR))
    login: Limit = field(default_factory=lambda: Limit("login", 30, _TEN_MINUTES))
    lookup: Limit = field(default_factory=lambda: Limit("lookup", 60, _MINUTE))
    verification: Limit = field(default_factory=lambda: Limit("verification", 30, _TEN_MINUTES))


@dataclass
class ServiceContext:
    settings: Settings
    db: Database
    providers: ProviderClients  # or a test double with the same attributes
    clock: Clock
    authority: UnlockAuthority
    pepper: bytes  # keys the OTP hashes; derived from the master key
    limiter: RequestLimiter
    otp_policy: OtpPolicy = DEFAULT_POLICY
    sessions: SessionPolicy = field(default_factory=SessionPolicy)
    limits: RequestLimits = field(default_factory=RequestLimits)
    face_redirect_url: str = "https://wt.szca.net/unlock/face-done"
    cpu: CpuPool = field(default_factory=CpuPool)  # PDF rendering, image decoding
