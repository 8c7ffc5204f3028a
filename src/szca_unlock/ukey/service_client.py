"""The agent's view of the service's unlock API (docs/unlock-protocol.md, C-5).

``UnlockServiceClient`` is what the agent needs; ``HttpUnlockServiceClient`` speaks the
documented routes with a bearer token. Service refusals become the API's typed errors
(``szca_unlock.api.errors``) carrying the service's own Chinese message.
"""

from __future__ import annotations

from typing import Any, Protocol

import httpx

from szca_unlock.api.errors import ApiUnavailable, error_from_response, unreachable
from szca_unlock.keepalive import client_limits
from szca_unlock.logsetup import get_logger

log = get_logger("ukey.service")
JSON = dict[str, Any]


class UnlockServiceClient(Protocol):
    def authorise(self, order_id: str, key_serial: str, certificate_serial: str,
                  challenge_hex: str) -> JSON:
        """→ ``{"authorisation_id", "cryptogram" (hex), "expires_at"}``"""

    def confirm(self, order_id: str, authorisation_id: str, receipt_hex: str) -> JSON:
        """→ ``{"order_id", "state"}``"""

    def reconcile(self, order_id: str, key_serial: str, challenge_hex: str,
                  receipt_hex: str) -> JSON:
        """The card's proof of its last reset → the order (completed)."""

    def authorise_so_pin(self, order_id: str, key_serial: str,
                         certificate_serial: str) -> JSON:
        """→ ``{"authorisation_id", "so_pin", "new_so_pin", "expires_at"}``"""

    def confirm_so_pin(self, order_id: str, authorisation_id: str, token_serial: str) -> JSON:
        """→ ``{"order_id", "state"}``"""


class HttpUnlockServiceClient:
    """``POST /api/orders/{id}/unlock/...`` with ``Authorization: Bearer <token>``."""

    def __init__(self, base_url: str, token: str, *, timeout_s: float = 10.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self._http = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout_s,
                                  headers={"Authorization": f"Bearer {token}"},
                                  transport=transport, limits=client_limits())

    def _post(self, order_id: str, action: str, body: JSON) -> JSON:
        path = f"/api/orders/{order_id}/unlock/{action}"
        try:
            response = self._http.post(path, json=body)
        except httpx.HTTPError as exc:
            log.warning("unlock %s for order %s: %s", action, order_id, type(exc).__name__)
            raise unreachable(str(self._http.base_url)) from exc
        if response.is_success:
            try:
                data = response.json()
            except ValueError as exc:
                raise ApiUnavailable(response.status_code, "unreadable_answer",
                                     "网厅服务返回了无法识别的数据") from exc
            if not isinstance(data, dict):
                raise ApiUnavailable(response.status_code, "unreadable_answer",
                                     "网厅服务返回了无法识别的数据")
            return data
        error = error_from_response(response)
        log.info("unlock %s for order %s refused: %s %s", action, order_id,
                 response.status_code, error.code)
        raise error

    def authorise(self, order_id: str, key_serial: str, certificate_serial: str,
                  challenge_hex: str) -> JSON:
        return self._post(order_id, "authorise", {
            "key_serial": key_serial, "certificate_serial": certificate_serial,
            "challenge": challenge_hex})

    def confirm(self, order_id: str, authorisation_id: str, receipt_hex: str) -> JSON:
        return self._post(order_id, "confirm",
                          {"authorisation_id": authorisation_id, "receipt": receipt_hex})

    def reconcile(self, order_id: str, key_serial: str, challenge_hex: str,
                  receipt_hex: str) -> JSON:
        return self._post(order_id, "reconcile", {
            "key_serial": key_serial, "challenge": challenge_hex, "receipt": receipt_hex})

    def authorise_so_pin(self, order_id: str, key_serial: str,
                         certificate_serial: str) -> JSON:
        return self._post(order_id, "so-pin/authorise", {
            "key_serial": key_serial, "certificate_serial": certificate_serial})

    def confirm_so_pin(self, order_id: str, authorisation_id: str, token_serial: str) -> JSON:
        return self._post(order_id, "so-pin/confirm",
                          {"authorisation_id": authorisation_id, "token_serial": token_serial})

    def close(self) -> None:
        self._http.close()
