"""An in-process stand-in for the service's unlock routes, built on the real
UnlockAuthority: it records every call so tests can check what left the agent."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from agent_answers import order_answer

from szca_unlock.api.errors import ApiDataConflict, ApiError, ApiNotFound
from szca_unlock.api.orders import OrderView
from szca_unlock.api.unlock import SoPinGranted, UnlockGranted
from szca_unlock.domain.errors import DomainError
from szca_unlock.unlock import Authorisation, SoPinAuthorisation, UnlockAuthority


class AuthorityBackedService:
    def __init__(self, master_key: bytes, bound_key_serial: str,
                 sealed_so_pin: bytes = b"") -> None:
        self.authority = UnlockAuthority(master_key, lambda: datetime.now(UTC))
        self.bound_key_serial = bound_key_serial
        self.sealed_so_pin = sealed_so_pin
        self.issued: dict[str, Authorisation] = {}
        self.so_issued: dict[str, SoPinAuthorisation] = {}
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.state = "verified"

    @staticmethod
    def _as_http(error: DomainError) -> ApiError:
        if error.code == "unlock.key_mismatch":
            return ApiDataConflict(409, error.code, error.message, error.field)
        return ApiError(400, error.code, error.message, error.field)

    def authorise(self, order_id: str, key_serial: str, certificate_serial: str,
                  challenge_hex: str) -> UnlockGranted:
        self.calls.append(("authorise", (order_id, key_serial, certificate_serial,
                                         challenge_hex)))
        try:
            auth = self.authority.authorise(key_serial, bytes.fromhex(challenge_hex),
                                            bound_key_serial=self.bound_key_serial,
                                            issued=self.issued.values())
        except DomainError as exc:
            raise self._as_http(exc) from exc
        self.issued[auth.id] = auth
        return UnlockGranted(authorisation_id=auth.id, cryptogram=auth.cryptogram.hex(),
                             expires_at=auth.expires_at)

    def confirm(self, order_id: str, authorisation_id: str, receipt_hex: str) -> OrderView:
        self.calls.append(("confirm", (order_id, authorisation_id, receipt_hex)))
        try:
            done = self.authority.confirm(self.issued[authorisation_id],
                                          bytes.fromhex(receipt_hex))
        except DomainError as exc:
            raise self._as_http(exc) from exc
        self.issued[done.id] = done
        self.state = "completed"
        return order_answer(order_id, self.state)

    def reconcile(self, order_id: str, key_serial: str, challenge_hex: str,
                  receipt_hex: str) -> OrderView:
        self.calls.append(("reconcile", (order_id, key_serial, challenge_hex, receipt_hex)))
        matching = [a for a in self.issued.values()
                    if a.key_serial == key_serial and a.challenge.hex() == challenge_hex]
        if not matching:
            raise ApiNotFound(404, "unlock_authorisation.not_found", "解锁授权不存在")
        return self.confirm(order_id, matching[0].id, receipt_hex)

    def authorise_so_pin(self, order_id: str, key_serial: str,
                         certificate_serial: str) -> SoPinGranted:
        self.calls.append(("authorise_so_pin", (order_id, key_serial, certificate_serial)))
        try:
            auth = self.authority.authorise_so_pin(key_serial,
                                                   bound_key_serial=self.bound_key_serial,
                                                   sealed_so_pin=self.sealed_so_pin)
        except DomainError as exc:
            raise self._as_http(exc) from exc
        self.so_issued[auth.id] = auth
        return SoPinGranted(authorisation_id=auth.id, so_pin=auth.so_pin,
                            new_so_pin=auth.new_so_pin, expires_at=auth.expires_at)

    def confirm_so_pin(self, order_id: str, authorisation_id: str,
                       token_serial: str) -> OrderView:
        self.calls.append(("confirm_so_pin", (order_id, authorisation_id, token_serial)))
        try:
            done = self.authority.confirm_so_pin(self.so_issued[authorisation_id], token_serial)
        except DomainError as exc:
            raise self._as_http(exc) from exc
        self.so_issued[done.id] = done
        self.sealed_so_pin = done.sealed_new_so_pin  # stored only after confirmation
        self.state = "completed"
        return order_answer(order_id, self.state)
