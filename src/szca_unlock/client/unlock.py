"""The agent's HTTP client of the service's unlock routes (docs/unlock-protocol.md, C-5).

``HttpUnlockServiceClient`` implements ``szca_unlock.ukey.service.UnlockService`` (the
protocol the agent depends on) over ``POST /api/orders/{no}/unlock/...`` with a bearer
token: answers are the wire models of ``szca_unlock.api``, refusals the API's typed errors
carrying the service's own Chinese message, an answer that is not the documented model
``ApiUnavailable``.
"""

from __future__ import annotations

from typing import TypeVar

import httpx
from pydantic import BaseModel

from szca_unlock.api.errors import error_from_response, unreachable
from szca_unlock.api.orders import OrderView
from szca_unlock.api.unlock import SoPinGranted, UnlockGranted
from szca_unlock.client.answers import read_answer
from szca_unlock.keepalive import client_limits
from szca_unlock.logsetup import get_logger

log = get_logger("client.unlock")
M = TypeVar("M", bound=BaseModel)


class HttpUnlockServiceClient:
    """``HttpUnlockServiceClient(base_url, token)``; ``close()`` when done."""

    def __init__(self, base_url: str, token: str, *, timeout_s: float = 10.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self._base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self._base_url, timeout=timeout_s,
                                  headers={"Authorization": f"Bearer {token}"},
                                  transport=transport, limits=client_limits())

    def _post(self, model: type[M], order_no: str, action: str,
              body: dict[str, str]) -> M:
        path = f"/api/orders/{order_no}/unlock/{action}"
        try:
            response = self._http.post(path, json=body)
        except httpx.HTTPError as exc:
            log.warning("unlock %s for order %s: %s", action, order_no, type(exc).__name__)
            raise unreachable(self._base_url) from exc
        if not response.is_success:
            error = error_from_response(response)
            log.info("unlock %s for order %s refused: %s %s", action, order_no,
                     response.status_code, error.code)
            raise error
        return read_answer(model, response)

    def authorise(self, order_no: str, key_serial: str, certificate_serial: str,
                  challenge_hex: str) -> UnlockGranted:
        return self._post(UnlockGranted, order_no, "authorise", {
            "key_serial": key_serial, "certificate_serial": certificate_serial,
            "challenge": challenge_hex})

    def confirm(self, order_no: str, authorisation_id: str, receipt_hex: str) -> OrderView:
        return self._post(OrderView, order_no, "confirm",
                          {"authorisation_id": authorisation_id, "receipt": receipt_hex})

    def reconcile(self, order_no: str, key_serial: str, challenge_hex: str,
                  receipt_hex: str) -> OrderView:
        return self._post(OrderView, order_no, "reconcile", {
            "key_serial": key_serial, "challenge": challenge_hex, "receipt": receipt_hex})

    def authorise_so_pin(self, order_no: str, key_serial: str,
                         certificate_serial: str) -> SoPinGranted:
        return self._post(SoPinGranted, order_no, "so-pin/authorise", {
            "key_serial": key_serial, "certificate_serial": certificate_serial})

    def confirm_so_pin(self, order_no: str, authorisation_id: str,
                       token_serial: str) -> OrderView:
        return self._post(OrderView, order_no, "so-pin/confirm",
                          {"authorisation_id": authorisation_id, "token_serial": token_serial})

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HttpUnlockServiceClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
