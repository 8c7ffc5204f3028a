"""The CA's unlock authority: issues single-use, expiring unlock authorisations and
confirms them against the card's receipt (or the token serial on the PKCS#11 path).

Pure apart from randomness and the injected clock: the caller loads and stores the
plain :class:`Authorisation` / :class:`SoPinAuthorisation` values (the store enforces
"confirmed once" atomically, e.g. ``UPDATE ... WHERE confirmed_at IS NULL``).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from szca_unlock.unlock.errors import (
    AuthorisationAlreadyConfirmed,
    ChallengeAlreadyUsed,
    KeySerialMismatch,
    MalformedUnlockRequest,
    ReceiptInvalid,
)
from szca_unlock.unlock.keys import (
    CHALLENGE_LEN,
    MASTER_KEY_LEN,
    compute_cryptogram,
    derive_card_key,
    verify_receipt,
)
from szca_unlock.unlock.secrets_box import generate_so_pin, open_secret, seal_secret

AUTHORISATION_TTL = timedelta(seconds=120)
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Authorisation:
    """One cryptogram handed out for one card challenge."""

    id: str
    key_serial: str
    challenge: bytes
    cryptogram: bytes
    expires_at: datetime
    confirmed_at: datetime | None = None


@dataclass(frozen=True)
class SoPinAuthorisation:
    """PKCS#11 path: the token's current SO PIN released once, with its replacement.

    ``sealed_new_so_pin`` is what the service stores after confirmation; the clear
    ``so_pin`` / ``new_so_pin`` go to the agent in the authorise response only.
    """

    id: str
    key_serial: str
    so_pin: str = ""
    new_so_pin: str = ""
    sealed_new_so_pin: bytes = b""
    expires_at: datetime = datetime.min
    confirmed_at: datetime | None = None

    def __repr__(self) -> str:  # never print SO PINs
        return (f"SoPinAuthorisation(id={self.id!r}, key_serial={self.key_serial!r}, "
                f"expires_at={self.expires_at!r}, confirmed_at={self.confirmed_at!r})")


def _check_unconfirmed(confirmed_at: datetime | None) -> None:
    # No expiry check here: ``expires_at`` bounds when the cryptogram / SO PINs may be
    # *used* (the card enforces its challenge's lifetime itself). Once the key was reset,
    # its confirmation must be accepted whenever it arrives, or a crash between the reset
    # and the confirm would leave the order contradicting the key (docs/unlock-protocol.md).
    if confirmed_at is not None:
        raise AuthorisationAlreadyConfirmed()


class UnlockAuthority:
    """Holds the CA master key; everything else comes in and goes out as plain values."""

    def __init__(self, master_key: bytes, clock: Clock,
                 ttl: timedelta = AUTHORISATION_TTL) -> None:
        if len(master_key) != MASTER_KEY_LEN:
            raise ValueError(f"master key must be {MASTER_KEY_LEN} bytes")
        self._mk = master_key
        self._clock = clock
        self._ttl = ttl

    def __repr__(self) -> str:
        return f"UnlockAuthority(ttl={self._ttl})"

    def card_key(self, key_serial: str) -> bytes:
        """The per-card unlock key (written into a card when it is personalised)."""
        return derive_card_key(self._mk, key_serial)

    # -- card path ---------------------------------------------------------------------
    def authorise(self, key_serial: str, challenge: bytes, *, bound_key_serial: str,
                  issued: Iterable[Authorisation] = ()) -> Authorisation:
        """Issue the cryptogram for ``challenge`` if the presented key is the order's key.

        ``bound_key_serial`` is the key the order's certificate was issued on;
        ``issued`` are authorisations already stored for this key (or this challenge):
        a cryptogram is issued at most once per challenge.
        """
        if len(challenge) != CHALLENGE_LEN:
            raise MalformedUnlockRequest("challenge")
        if not key_serial or not key_serial.isascii():
            raise MalformedUnlockRequest("key_serial")
        if key_serial != bound_key_serial:
            raise KeySerialMismatch()
        if any(a.challenge == challenge and a.key_serial == key_serial for a in issued):
            raise ChallengeAlreadyUsed()
        cryptogram = compute_cryptogram(self.card_key(key_serial), key_serial, challenge)
        return Authorisation(id=secrets.token_hex(16), key_serial=key_serial,
                             challenge=challenge, cryptogram=cryptogram,
                             expires_at=self._clock() + self._ttl)

    def confirm(self, authorisation: Authorisation, receipt: bytes) -> Authorisation:
        """Check the card's receipt; return the authorisation marked confirmed (store it).

        A wrong receipt does not consume the authorisation (a garbled transfer may be
        retried); an already confirmed one is refused. A valid receipt is accepted after
        ``expires_at`` too: it proves the card was reset with this authorisation.
        """
        now = self._clock()
        _check_unconfirmed(authorisation.confirmed_at)
        key = self.card_key(authorisation.key_serial)
        if not verify_receipt(key, authorisation.key_serial, authorisation.challenge, receipt):
            raise ReceiptInvalid()
        return replace(authorisation, confirmed_at=now)

    # -- PKCS#11 path ------------------------------------------------------------------
    def authorise_so_pin(self, key_serial: str, *, bound_key_serial: str,
                         sealed_so_pin: bytes) -> SoPinAuthorisation:
        """Release the token's SO PIN (stored sealed) together with a fresh replacement."""
        if key_serial != bound_key_serial:
            raise KeySerialMismatch()
        current = open_secret(self._mk, sealed_so_pin, context=key_serial)
        new = generate_so_pin()
        return SoPinAuthorisation(
            id=secrets.token_hex(16), key_serial=key_serial, so_pin=current, new_so_pin=new,
            sealed_new_so_pin=seal_secret(self._mk, new, context=key_serial),
            expires_at=self._clock() + self._ttl)

    def confirm_so_pin(self, authorisation: SoPinAuthorisation,
                       token_serial: str) -> SoPinAuthorisation:
        """The agent reports the rotation done on ``token_serial``; the returned value
        (confirmed, clear PINs dropped) carries the sealed new SO PIN to store. Accepted
        after ``expires_at`` too: a late report of a rotation done must still be recorded."""
        now = self._clock()
        _check_unconfirmed(authorisation.confirmed_at)
        if token_serial != authorisation.key_serial:
            raise KeySerialMismatch()
        return replace(authorisation, so_pin="", new_so_pin="", confirmed_at=now)

    def seal_so_pin(self, key_serial: str, so_pin: str) -> bytes:
        """Seal a token's SO PIN for storage (used when the token is first registered)."""
        return seal_secret(self._mk, so_pin, context=key_serial)
