"""What every applet of the card shares: the persistent state, the key, the one user PIN
with its one retry counter, and the card session (one counter, one truth)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from emulator.virtual_ukey.apdu import StatusWord, SwError
from emulator.virtual_ukey.keystore import CardKey
from emulator.virtual_ukey.pin import PinChecker, PinHash, PinPolicy
from emulator.virtual_ukey.state import CardState

SW = StatusWord


@dataclass
class Session:
    """Forgotten at power-down and reset."""

    verified: bool = False
    # PIV "PIN Always" (key 9C): a VERIFY with the PIN since the last 9C signature
    verified_for_one_signature: bool = False
    current_ef: bool = False
    challenge: bytes | None = None
    challenge_at: float = 0.0


class CardContext:
    """The card's shared part. ``save`` persists a new state (atomic) before the answer
    leaves the card; ``clock`` is monotonic seconds."""

    def __init__(
        self,
        state: CardState,
        key: CardKey,
        save: Callable[[CardState], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.state = state
        self.key = key
        self.clock = clock
        self.policy = PinPolicy(state.pin_min, state.pin_max)
        self.session = Session()
        self._save = save
        self._pins = PinChecker(PinHash.parse(state.pin_hash))

    def new_session(self) -> None:
        self.session = Session()

    def update(self, **changes: object) -> None:
        new = self.state.with_(**changes)
        if new != self.state:
            self._save(new)  # persist first: a crash must not forget a wrong try
            self.state = new

    # --- the one user PIN -------------------------------------------------------------
    def pin_status(self) -> None:
        """A status query (no try used): 9000 verified, else 63Cx, or 6983 blocked."""
        if self.state.blocked:
            raise SwError(SW.AUTH_METHOD_BLOCKED)
        if not self.session.verified:
            raise SwError(SW.tries_left(self.state.tries_left))

    def check_user_pin(self, pin: bytes) -> None:
        """Count a try of the user PIN: 6983 blocked, 63Cx wrong (6983 at the last)."""
        if self.state.blocked:
            raise SwError(SW.AUTH_METHOD_BLOCKED)
        if self._pins.matches(pin):
            if self.state.tries_left != self.state.max_tries:  # skip the copy on the hot path
                self.update(tries_left=self.state.max_tries)
            return
        self.logout()
        left = self.state.tries_left - 1
        self.update(tries_left=left)
        raise SwError(SW.tries_left(left) if left else SW.AUTH_METHOD_BLOCKED)

    def verify_user_pin(self, pin: bytes) -> None:
        """VERIFY through any applet: a counted try; success verifies the card session."""
        self.check_user_pin(pin)
        self.session.verified = True
        self.session.verified_for_one_signature = True

    def change_user_pin(self, old: bytes, new: bytes) -> None:
        """CHANGE REFERENCE DATA: the new PIN's rule first (6A80, no try), then the old."""
        if self.state.blocked:
            raise SwError(SW.AUTH_METHOD_BLOCKED)
        if not self.policy.accepts(new):
            raise SwError(SW.WRONG_DATA)
        self.check_user_pin(old)
        self.set_pin(new)
        self.session.verified = True

    def set_pin(self, pin: bytes, **also: object) -> None:
        """Set the PIN (and ``also`` other fields, persisted in the same write)."""
        pin_hash = PinHash.create(pin)
        self.update(pin_hash=pin_hash.render(), tries_left=self.state.max_tries, **also)
        self._pins.replace(pin_hash, pin)

    def logout(self) -> None:
        self.session.verified = False
        self.session.verified_for_one_signature = False

    def may_sign(self) -> bool:
        return self.session.verified and not self.state.blocked
