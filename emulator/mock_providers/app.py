"""The mock providers' FastAPI app: Tencent Cloud API at ``/``, micro-deposit at ``/deposit/v1``,
control API at ``/_control``; one exception handler per error family."""

from __future__ import annotations

import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import control, pages, tencent_api
from .deposit import routes as deposit_routes
from .deposit.errors import DepositError, ValidationFailed
from .middleware import ProviderMiddleware
from .routing import is_control
from .state import ProviderState
from .tencent_errors import NotFound, TencentError, UnsupportedProtocol


def json_safe(value: Any) -> Any:
    """Field errors echo the input; Python's JSON parser accepts ``NaN`` and ``Infinity``,
    and a body that is not JSON comes back as bytes, a validator's refusal as its exception:
    none can a JSON answer carry (the response would fail to render: a 500)."""
    if isinstance(value, BaseException):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, bytes):  # a body that is not JSON (text/plain) is echoed as bytes
        return value[:200].decode("utf-8", "replace")
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def create_app(state: ProviderState | None = None) -> FastAPI:
    state = state or ProviderState()
    app = FastAPI(title="szca-unlock mock identity providers", version="1.0",
                  description="Tencent Cloud faceid/sms stand-ins and the corporate micro-deposit "
                              "API; see docs/providers.md.")
    app.state.providers = state
    app.include_router(tencent_api.router)
    app.include_router(deposit_routes.router)
    app.include_router(control.router)
    app.include_router(pages.router)
    app.add_middleware(ProviderMiddleware, state=state)

    @app.exception_handler(TencentError)
    async def tencent_error(_: Request, exc: TencentError) -> JSONResponse:
        return tencent_api.render_error(exc)

    @app.exception_handler(DepositError)
    async def deposit_error(_: Request, exc: DepositError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # A deposit client parses the deposit envelope on every error (a body that is not
        # JSON included); everywhere else FastAPI's own ``{"detail"}``.
        if request.url.path.startswith(deposit_routes.PREFIX):
            failure = DepositError("请求体不是有效的 JSON" if exc.status_code == 400 else None)
            return JSONResponse(failure.body(), status_code=exc.status_code)
        if request.scope.get("endpoint") is None and not is_control(request.url.path):
            # No route matched: answer in Tencent's envelope, as the gateway in front would,
            # so any client sees a code instead of FastAPI's bare {"detail"}.
            refusal = UnsupportedProtocol() if exc.status_code == 405 else NotFound()
            answer = tencent_api.render_error(refusal)
            answer.status_code = exc.status_code
            return answer
        return await http_exception_handler(request, exc)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        if request.url.path.startswith(deposit_routes.PREFIX):
            failure = ValidationFailed()
            return JSONResponse(failure.body(), status_code=failure.status)
        return JSONResponse({"detail": json_safe(exc.errors())}, status_code=422)

    return app
