"""What the agent needs from the service (docs/unlock-protocol.md, C-5): five calls with
typed answers. ``szca_unlock.client.unlock.HttpUnlockServiceClient`` implements it over
HTTP; tests hand the agent an in-process stand-in. Refusals raise
``szca_unlock.api.errors.ApiError`` (``ApiDataConflict`` for C-6, ``ApiNotFound`` when
there is no such authorisation or reset to settle)."""

from __future__ import annotations

from typing import Protocol

from szca_unlock.api.orders import OrderView
from szca_unlock.api.unlock import SoPinGranted, UnlockGranted


class UnlockService(Protocol):
    def authorise(self, order_no: str, key_serial: str, certificate_serial: str,
                  challenge_hex: str) -> UnlockGranted:
        """A single-use cryptogram for the card's challenge."""
        ...

    def confirm(self, order_no: str, authorisation_id: str, receipt_hex: str) -> OrderView:
        """The card's receipt; the order completes."""
        ...

    def reconcile(self, order_no: str, key_serial: str, challenge_hex: str,
                  receipt_hex: str) -> OrderView:
        """The card's proof of its last reset (an agent died before confirming it); the
        order completes if that reset was authorised for it."""
        ...

    def authorise_so_pin(self, order_no: str, key_serial: str,
                         certificate_serial: str) -> SoPinGranted:
        """PKCS#11 tokens: the SO PIN and its replacement, released once."""
        ...

    def confirm_so_pin(self, order_no: str, authorisation_id: str,
                       token_serial: str) -> OrderView:
        """The SO PIN was changed; the order completes."""
        ...
