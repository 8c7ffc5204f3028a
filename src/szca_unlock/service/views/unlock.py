"""C-5: what the agent is handed for the key (the PIN never passes here)."""

from __future__ import annotations

from szca_unlock.api.unlock import SoPinGranted, UnlockGranted
from szca_unlock.unlock import Authorisation, SoPinAuthorisation


def unlock_granted(granted: Authorisation) -> UnlockGranted:
    return UnlockGranted(authorisation_id=granted.id, cryptogram=granted.cryptogram.hex(),
                         expires_at=granted.expires_at)


def so_pin_granted(granted: SoPinAuthorisation) -> SoPinGranted:
    return SoPinGranted(authorisation_id=granted.id, so_pin=granted.so_pin,
                        new_so_pin=granted.new_so_pin, expires_at=granted.expires_at)
