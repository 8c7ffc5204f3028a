"""The unlock agent (the CA driver tool of PER-MR-2): runs C-5 between the key and the
service. The new PIN is checked locally and goes to the key only, never to the service."""

from __future__ import annotations

from collections.abc import Callable

from szca_unlock.api.errors import ApiError, ApiNotFound
from szca_unlock.api.orders import OrderView
from szca_unlock.domain.pin_policy import check_new_pin
from szca_unlock.logsetup import get_logger
from szca_unlock.ukey.base import (
    ChallengeUnlockable,
    SoPinUnlockable,
    UKeyDriver,
    open_single_key,
)
from szca_unlock.ukey.errors import UKeyError, UnlockIncomplete, WrongKey
from szca_unlock.ukey.receipts import PendingUnlock, ReceiptStore
from szca_unlock.ukey.service import UnlockService
from szca_unlock.ukey.types import UnlockResult

log = get_logger("ukey.agent")


class UnlockAgent:
    """``receipts``: where the unlock in flight is recorded (the CLI's and the helper's
    default: ``ReceiptStore()`` under ``$SZCA_HOME``); without one, a crash is still
    recovered on the card path from the card's own proof of its last reset."""

    def __init__(self, service: UnlockService, driver: UKeyDriver,
                 receipts: ReceiptStore | None = None) -> None:
        self._service = service
        self._driver = driver
        self._receipts = receipts

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
            finished = self._finish_earlier_run(key, order_id, serial, new_pin)
            if finished is not None:
                auth_id, confirmed = finished
                log.info("order %s: an earlier reset of key %s confirmed", order_id, serial)
                return UnlockResult(order_id=order_id, key_serial=serial,
                                    driver=key.info.driver, authorisation_id=auth_id,
                                    order_state=confirmed.state,
                                    pin_status=key.pin_status(), reconciled=True)
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
                            order_state=confirmed.state, pin_status=status)

    def _record(self, pending: PendingUnlock) -> None:
        if self._receipts is not None:
            self._receipts.save(pending)

    def _card_unlock(self, key: ChallengeUnlockable, order_id: str, serial: str,
                     certificate_serial: str, new_pin: str) -> tuple[str, OrderView]:
        challenge = key.get_challenge()
        granted = self._service.authorise(order_id, serial, certificate_serial, challenge.hex())
        auth_id = granted.authorisation_id
        try:
            cryptogram = bytes.fromhex(granted.cryptogram)
        except ValueError as exc:
            raise UKeyError("网厅返回的解锁数据不完整（cryptogram）") from exc
        pending = PendingUnlock(order_id, serial, "card", auth_id, challenge=challenge.hex())
        self._record(pending)  # before the reset: a crash after it is then recoverable
        receipt = key.reset_retry_counter(cryptogram, new_pin).hex()
        self._record(pending.with_receipt(receipt))
        return auth_id, self._confirm(order_id, auth_id, receipt, lambda: self._service.confirm(
            order_id, auth_id, receipt))

    def _so_pin_unlock(self, key: SoPinUnlockable, order_id: str, serial: str,
                       certificate_serial: str, new_pin: str) -> tuple[str, OrderView]:
        granted = self._service.authorise_so_pin(order_id, serial, certificate_serial)
        auth_id = granted.authorisation_id
        so_pin, new_so_pin = granted.so_pin, granted.new_so_pin
        # The service releases this pair once: without the record a crash from here on
        # could only be settled by an operator.
        self._record(PendingUnlock(order_id, serial, "so_pin", auth_id, so_pin=so_pin,
                                   new_so_pin=new_so_pin))
        key.unlock_with_so_pin(so_pin, new_pin, new_so_pin)
        return auth_id, self._confirm(order_id, auth_id, serial,
                                      lambda: self._service.confirm_so_pin(order_id, auth_id,
                                                                           serial))

    def _confirm(self, order_id: str, auth_id: str, proof: str,
                 call: Callable[[], OrderView]) -> OrderView:
        try:
            confirmed = call()
        except ApiError as exc:
            raise UnlockIncomplete(auth_id, proof, exc) from exc
        if self._receipts is not None:
            self._receipts.discard(order_id)
        return confirmed

    # -- finishing a run that died between the reset and the confirm ---------------------
    def _finish_earlier_run(self, key: object, order_id: str, serial: str,
                            new_pin: str) -> tuple[str, OrderView] | None:
        """Confirm what an earlier run did to this key for this order, without a second
        reset; None when there is nothing to finish."""
        pending = self._receipts.load(order_id) if self._receipts is not None else None
        if pending is not None and pending.key_serial != serial:
            pending = None  # a record for another key: not ours to settle
        if pending is not None and pending.kind == "so_pin" and isinstance(key, SoPinUnlockable):
            return self._finish_so_pin(key, pending, new_pin)
        if not isinstance(key, ChallengeUnlockable):
            return None
        proof = key.last_reset()
        if pending is not None and pending.kind == "card":
            receipt = pending.receipt
            if not receipt and proof is not None and proof[0].hex() == pending.challenge:
                receipt = proof[1].hex()  # died before recording the card's answer
            if receipt:
                try:
                    return pending.authorisation_id, self._confirm(
                        order_id, pending.authorisation_id, receipt,
                        lambda: self._service.confirm(order_id, pending.authorisation_id,
                                                      receipt))
                except UnlockIncomplete as exc:
                    if not isinstance(exc.cause, ApiNotFound):
                        raise
                    # Not an authorisation of this service's order: a stale record.
            self._receipts.discard(order_id)  # type: ignore[union-attr]  # never reset
        if proof is None:
            return None
        # No record (another computer, or the record was lost): the card's proof of its
        # last reset finishes the order if that reset was authorised for it.
        try:
            confirmed = self._service.reconcile(order_id, serial, proof[0].hex(), proof[1].hex())
        except ApiNotFound:
            return None  # the last reset belonged to an earlier order
        return "", confirmed

    def _finish_so_pin(self, key: SoPinUnlockable, pending: PendingUnlock,
                       new_pin: str) -> tuple[str, OrderView]:
        """The token holds the old SO PIN (died before the rotation) or the new one (died
        after it): with the new one only the user PIN is set again; with the old one the
        whole rotation is done. Then the same authorisation is confirmed."""
        try:
            key.unlock_with_so_pin(pending.new_so_pin, new_pin, pending.new_so_pin)
        except UKeyError:
            key.unlock_with_so_pin(pending.so_pin, new_pin, pending.new_so_pin)
        auth_id = pending.authorisation_id
        return auth_id, self._confirm(pending.order_id, auth_id, pending.key_serial,
                                      lambda: self._service.confirm_so_pin(
                                          pending.order_id, auth_id, pending.key_serial))

