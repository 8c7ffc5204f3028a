"""Bounded retries for *safe* provider calls only.

Only reads are retried (``GetDetectInfoEnhanced``, ``GET /deposit/v1/verifications/{id}``):
repeating them changes nothing at the provider. Calls that send an SMS, bill a check,
open a face session, move money or spend a code attempt are never retried, because a
request that timed out may still have been carried out.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from szca_unlock.logsetup import get_logger
from szca_unlock.providers.errors import ProviderUnavailable

T = TypeVar("T")

_log = get_logger("providers.retry")


@dataclass(frozen=True)
class RetryPolicy:
    """``retries`` extra attempts after the first, sleeping ``backoff_s * 2**n`` between them."""

    retries: int = 2
    backoff_s: float = 0.2

    def run(self, call: Callable[[], T], *, what: str) -> T:
        attempt = 0
        while True:
            try:
                return call()
            except ProviderUnavailable as exc:
                if attempt >= self.retries:
                    raise
                _log.warning("%s unavailable (%s), retry %d of %d",
                             what, exc.fault, attempt + 1, self.retries)
                time.sleep(self.backoff_s * (2**attempt))
                attempt += 1


NO_RETRY = RetryPolicy(retries=0)
