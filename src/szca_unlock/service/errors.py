"""The one error layer: every failure leaves the service as
``{"error": {"code", "message", "field"?, "help"?}}`` with a fitting HTTP status.

A ``DomainError`` declares its HTTP status on its class (``status``). A database that
stayed busy (SQLite's lock wait timed out) is load, not a bug: 503 with ``Retry-After``.
Anything else is a bug: logged (masked) and answered 500.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from szca_unlock.api.envelope import render as render_error
from szca_unlock.domain.errors import CS_HELP, DATA_CONFLICT_MESSAGE, DomainError
from szca_unlock.domain.rate_limit import RateLimited
from szca_unlock.logsetup import get_logger, mask_value
from szca_unlock.service.body_limits import BodyTooLarge
from szca_unlock.service.field_labels import validation_message
from szca_unlock.store.database import is_busy_error

log = get_logger("service.errors")
BUSY_MESSAGE = "系统繁忙，请稍后重试"
BUSY_RETRY_AFTER_S = 5


class ServiceRefusal(DomainError):
    """A refusal raised by the service layer itself; subclasses declare ``status``."""


class Unauthenticated(ServiceRefusal):
    status = 401

    def __init__(self, message: str = "请先登录网上营业厅") -> None:
        super().__init__("unauthenticated", message)


class Forbidden(ServiceRefusal):
    status = 403

    def __init__(self, message: str = "您没有执行此操作的权限") -> None:
        super().__init__("forbidden", message)


class NotFoundError(ServiceRefusal):
    status = 404


class Conflict(ServiceRefusal):
    status = 409


class DataConflict(Conflict):
    """C-6: a key or certificate other than the order's was presented. Nothing is reset."""

    def __init__(self, field: str) -> None:
        super().__init__(
            "data_conflict", DATA_CONFLICT_MESSAGE, field, help=CS_HELP)


class ServiceUnavailable(ServiceRefusal):
    status = 503


def _domain_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    status = exc.status
    headers = {}
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(exc.retry_after)
    elif status == 429:
        headers["Retry-After"] = "60"
    help_text = exc.help
    if help_text is None and status >= 500:
        help_text = CS_HELP
    if status >= 500:
        log.warning("dependency failure %s: %s", exc.code, mask_value(exc.message))
    return JSONResponse(render_error(exc.code, exc.message, exc.field, help_text),
                        status_code=status, headers=headers)


def _request_validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    first = errors[0] if errors else {}
    field, message = validation_message(first)
    return JSONResponse(render_error("invalid_request", message, field), status_code=422)


_HTTP_MESSAGES = {
    # Starlette's only 400: a body that cannot be parsed at all (not UTF-8 JSON, broken multipart).
    400: ("invalid_request", "提交的内容无法解析，请检查格式后重新提交"),
    404: ("not_found", "请求的页面不存在"),
    405: ("method_not_allowed", "不支持该请求方式"),
    413: ("too_large", "提交的内容过大"),
}


def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code, message = _HTTP_MESSAGES.get(exc.status_code, ("http_error", "请求无法处理"))
    field = None
    if isinstance(exc, BodyTooLarge):  # names the route's own limit
        code, message, field = (exc.refusal["code"], exc.refusal["message"],
                                exc.refusal.get("field"))
    return JSONResponse(render_error(code, message, field), status_code=exc.status_code,
                        headers=getattr(exc, "headers", None))


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # A genuine bug: the stack goes to the log (masked by the logging filter), the
    # user gets a generic message and where to get help.
    log.error("unhandled %s on %s %s: %s", type(exc).__name__, request.method,
              request.url.path, mask_value(str(exc)), exc_info=exc)
    return JSONResponse(render_error("internal_error", BUSY_MESSAGE, help=CS_HELP),
                        status_code=500)


def _database_error(request: Request, exc: Exception) -> JSONResponse:
    if not is_busy_error(exc):
        return _unexpected(request, exc)
    # Nothing was written (the transaction rolled back): the client may simply retry.
    log.warning("database busy on %s %s", request.method, request.url.path)
    return JSONResponse(render_error("service_busy", BUSY_MESSAGE, help=CS_HELP),
                        status_code=503, headers={"Retry-After": str(BUSY_RETRY_AFTER_S)})


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(SQLAlchemyError, _database_error)
    app.add_exception_handler(Exception, _unexpected)
