"""The agent's view of the service's unlock API (docs/unlock-protocol.md, C-5).

``UnlockServiceClient`` is what the agent needs; ``HttpUnlockServiceClient`` speaks the
documented routes with a bearer token. Service refusals become typed errors carrying the
service's own Chinese message.
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

import httpx

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

    def authorise_so_pin(self, order_id: str, key_serial: str,
                         certificate_serial: str) -> JSON:
        """→ ``{"authorisation_id", "so_pin", "new_so_pin", "expires_at"}``"""

    def confirm_so_pin(self, order_id: str, authorisation_id: str, token_serial: str) -> JSON:
        """→ ``{"order_id", "state"}``"""


class ServiceError(Exception):
    """The service refused or could not be reached; ``status_code`` 0 = no HTTP answer."""

    default_message: ClassVar[str] = "网厅服务返回错误,请稍后重试"

    def __init__(self, status_code: int, message: str | None = None, code: str | None = None,
                 field: str | None = None, help: str | None = None) -> None:
        self.status_code = status_code
        self.message = message or self.default_message
        self.code = code
        self.field = field
        self.help = help  # CS-1: where to get help, when the service says the user is stuck
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message if not self.help else f"{self.message}({self.help})"


class ServiceRejected(ServiceError):
    default_message = "网厅拒绝了解锁请求"


class ServiceDataConflict(ServiceRejected):
    default_message = "数据冲突,请刷新网页后重新操作"


class ServiceNotFound(ServiceRejected):
    default_message = "未找到该业务单"


class ServiceAuthError(ServiceRejected):
    default_message = "登录已失效,请重新登录网厅"


class ServiceUnavailable(ServiceError):
    default_message = "网厅服务暂时不可用,请稍后重试"


_BY_STATUS: dict[int, type[ServiceError]] = {
    401: ServiceAuthError, 403: ServiceAuthError, 404: ServiceNotFound,
}
# C-6: only these codes mean "another key or certificate"; any other 409 (say, an order
# that is not yet verified) is a plain refusal with the service's own message.
_CONFLICT_CODES = frozenset({"data_conflict", "unlock.key_mismatch"})


def _error_fields(body: Any) -> dict[str, Any]:
    """message, code, field, help from the service's ``{"error": {...}}`` (docs/api.md),
    a bare ``{"code","message",...}``, or FastAPI's ``{"detail": ...}`` (a string, such an
    object, or a list of validation errors)."""
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        body = body["error"]
    elif isinstance(body, dict) and "detail" in body and "message" not in body:
        body = body["detail"]
    if isinstance(body, list) and body:
        body = body[0]
    if isinstance(body, str):
        return {"message": body}
    if not isinstance(body, dict):
        return {}
    msg = body.get("message") or body.get("msg")
    return {"message": str(msg) if msg else None, "code": body.get("code") or body.get("type"),
            "field": body.get("field"), "help": body.get("help")}


def error_from_response(response: httpx.Response) -> ServiceError:
    status = response.status_code
    try:
        fields = _error_fields(response.json())
    except ValueError:
        fields = {}
    if status == 409 and fields.get("code") in _CONFLICT_CODES:
        cls: type[ServiceError] = ServiceDataConflict
    else:
        cls = _BY_STATUS.get(status) or (ServiceUnavailable if status >= 500
                                         else ServiceRejected)
    return cls(status, **fields)


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
            raise ServiceUnavailable(0) from exc
        if response.is_success:
            try:
                data = response.json()
            except ValueError as exc:
                raise ServiceUnavailable(response.status_code, "网厅服务返回了无法识别的数据") \
                    from exc
            if not isinstance(data, dict):
                raise ServiceUnavailable(response.status_code, "网厅服务返回了无法识别的数据")
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

    def authorise_so_pin(self, order_id: str, key_serial: str,
                         certificate_serial: str) -> JSON:
        return self._post(order_id, "so-pin/authorise", {
            "key_serial": key_serial, "certificate_serial": certificate_serial})

    def confirm_so_pin(self, order_id: str, authorisation_id: str, token_serial: str) -> JSON:
        return self._post(order_id, "so-pin/confirm",
                          {"authorisation_id": authorisation_id, "token_serial": token_serial})

    def close(self) -> None:
        self._http.close()
