"""The unlock agent (the CA driver tool of PER-MR-2): runs C-5 between the key and the
service. The new PIN is checked locally and goes to the key only, never to the service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from szca_unlock.api.errors import ApiError
from szca_unlock.domain.pin_policy import check_new_pin
from szca_unlock.logsetup import get_logger
from szca_unlock.ukey.base import (
    ChallengeUnlockable,
    SoPinUnlockable,
    UKeyDriver,
    open_single_key,
)
from szca_unlock.ukey.errors import UKeyError, UnlockIncomplete, WrongKey
from szca_unlock.ukey.service_client import UnlockServiceClient
from szca_unlock.ukey.types import UnlockResult

log = get_logger("ukey.agent")


def _field(response: dict[str, Any], name: str) -> str:
    value = response.get(name)
    if not isinstance(value, str) or not value:
        raise UKeyError(f"网厅返回的解锁数据不完整({name})")
    return value


class UnlockAgent:
    def __init__(self, service: UnlockServiceClient, driver: UKeyDriver) -> None:
        self._service = service
        self._driver = driver

    def unlock(self, order_id: str, *, new_pin: str, confirm_pin: str,
               expected_key_serial: str | None = None) -> UnlockResult:
        """Unlock the one inserted key for ``order_id`` and set ``new_pin``.

        Raises ``ValidationError`` (PIN policy), ``WrongKey`` / ``ApiDataConflict``
        (C-6), other ``UKeyError`` / ``ApiError`` subclasses, or ``UnlockIncomplete``
        when the key was reset but the service did not confirm.
        """
        with open_single_key(self._driver, expected_key_serial) as key:
            serial = key.serial()
            if expected_key_serial is not None and serial != expected_key_serial:
                raise WrongKey()
            check_new_pin(new_pin, confirm_pin, key.pin_policy())
            certificate_serial = key.certificate_serial()
            if isinstance(key, ChallengeUnlockable):
                auth_id, confirmed = self._card_unlock(key, order_id, serial,
                                                       certificate_serial, new_pin)
            elif isinstance(key, SoPinUnlockable):
                auth_id, confirmed = self._so_pin_unlock(key, order_id, serial,
                                                         certificate_serial, new_pin)
            else:
                raise UKeyError("该 U-KEY 不支持在线解锁")
            status = key.pin_status()
        log.info("order %s: key %s unlocked", order_id, serial)
        return UnlockResult(order_id=order_id, key_serial=serial, driver=key.info.driver,
                            authorisation_id=auth_id,
                            order_state=str(confirmed.get("state", "")), pin_status=status)

    def _card_unlock(self, key: ChallengeUnlockable, order_id: str, serial: str,
                     certificate_serial: str, new_pin: str) -> tuple[str, dict[str, Any]]:
        challenge = key.get_challenge()
        granted = self._service.authorise(order_id, serial, certificate_serial, challenge.hex())
        auth_id = _field(granted, "authorisation_id")
        try:
            cryptogram = bytes.fromhex(_field(granted, "cryptogram"))
        except ValueError as exc:
            raise UKeyError("网厅返回的解锁数据不完整(cryptogram)") from exc
        receipt = key.reset_retry_counter(cryptogram, new_pin).hex()
        return auth_id, self._confirm(auth_id, receipt, lambda: self._service.confirm(
            order_id, auth_id, receipt))

    def _so_pin_unlock(self, key: SoPinUnlockable, order_id: str, serial: str,
                       certificate_serial: str, new_pin: str) -> tuple[str, dict[str, Any]]:
        granted = self._service.authorise_so_pin(order_id, serial, certificate_serial)
        auth_id = _field(granted, "authorisation_id")
        key.unlock_with_so_pin(_field(granted, "so_pin"), new_pin, _field(granted, "new_so_pin"))
        return auth_id, self._confirm(auth_id, serial, lambda: self._service.confirm_so_pin(
            order_id, auth_id, serial))

    @staticmethod
    def _confirm(auth_id: str, proof: str, call: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        try:
            return call()
        except ApiError as exc:
            raise UnlockIncomplete(auth_id, proof, exc) from exc

