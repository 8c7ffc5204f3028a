"""The one error root of every client of the service's API (the applicant's
``ServiceClient``, the agent's unlock client, test and load drivers).

``error_from_response`` reads a refusal once and picks the class by HTTP status, so a
caller branches on the class (``except ApiNotFound``) or on the service's ``code``.
Names start with ``Api`` so they never meet the service's own refusal classes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import httpx

from szca_unlock.api.envelope import parse
from szca_unlock.domain.errors import DATA_CONFLICT_MESSAGE


class ApiError(Exception):
    """The service refused (``status`` its HTTP status) or did not answer (``status`` 0).

    ``code``, ``message``, ``field`` and ``help`` are the envelope's; ``retry_after`` the
    seconds of a ``Retry-After`` header, if any.
    """

    default_message: ClassVar[str] = "网厅服务返回了错误（HTTP {status}）"

    def __init__(self, status: int, code: str | None = None, message: str | None = None,
                 field: str | None = None, help: str | None = None,
                 retry_after: int | None = None) -> None:
        self.status = status
        self.code = code or "http_error"
        self.message = message or self.default_message.format(status=status)
        self.message_is_default = not message  # the service said nothing readable
        self.field = field
        self.help = help  # CS-1: where to get help, when the service says the user is stuck
        self.retry_after = retry_after
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message if not self.help else f"{self.message}({self.help})"


class ApiUnauthorized(ApiError):
    """401: no, unknown or expired session, or wrong credentials."""

    default_message = "登录已失效，请重新登录网厅"


class ApiForbidden(ApiError):
    """403: this login may not do that."""

    default_message = "您没有执行此操作的权限"


class ApiNotFound(ApiError):
    """404: unknown certificate, order or document, or one of another login."""

    default_message = "未找到请求的内容"


class ApiConflict(ApiError):
    """409: the order is not in a state that allows the step."""

    default_message = "当前状态不允许该操作，请刷新网页后重新操作"


class ApiDataConflict(ApiConflict):
    """409 C-6: a key or certificate other than the order's was presented."""

    default_message = DATA_CONFLICT_MESSAGE


class ApiRateLimited(ApiError):
    """429: too many requests; ``retry_after`` says when to try again."""

    default_message = "操作过于频繁，请稍后重试"


class ApiUnavailable(ApiError):
    """5xx, or no answer at all (``status`` 0): try again later."""

    default_message = "网厅服务暂时不可用，请稍后重试"


_BY_STATUS: dict[int, type[ApiError]] = {
    401: ApiUnauthorized, 403: ApiForbidden, 404: ApiNotFound, 409: ApiConflict,
    429: ApiRateLimited,
}
# C-6: only these codes mean "another key or certificate"; any other 409 (say, an order
# that is not yet verified) is a plain conflict with the service's own message.
_DATA_CONFLICT_CODES = frozenset({"data_conflict", "unlock.key_mismatch"})


def error_class(status: int, code: str | None) -> type[ApiError]:
    if status == 409 and code in _DATA_CONFLICT_CODES:
        return ApiDataConflict
    if status == 0 or status >= 500:
        return ApiUnavailable
    return _BY_STATUS.get(status, ApiError)


def _retry_after(headers: Mapping[str, str]) -> int | None:
    value = headers.get("Retry-After") or ""
    return int(value) if value.isdigit() else None


def error_from_parts(status: int, body: Any, headers: Mapping[str, str]) -> ApiError:
    """The typed error of an answer already read (status, decoded JSON body, headers)."""
    fields = parse(body)
    cls = error_class(status, fields.code)
    return cls(status, fields.code, fields.message, fields.field, fields.help,
               _retry_after(headers))


def error_from_response(response: httpx.Response) -> ApiError:
    """The typed error of a refusal; a body that is not JSON says nothing but the status."""
    try:
        body = response.json() if response.content else None
    except ValueError:
        body = None
    return error_from_parts(response.status_code, body, response.headers)


def unreachable(base_url: str) -> ApiUnavailable:
    """The service did not answer at all (refused, timed out, reset)."""
    return ApiUnavailable(0, "unreachable", f"无法连接网厅服务（{base_url}）")
