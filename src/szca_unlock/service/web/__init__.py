"""The 网厅's pages: server-rendered HTML on the same logic as ``/api``.

``install_portal(app)`` adds the page routers, the static ES modules and stylesheet, the
security middleware (headers, CSP, CSRF: ``security.py``) and the page-side rendering of
errors (HTML for a person, the API's JSON envelope left as it is for ``/api``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from szca_unlock.domain.errors import CS_HELP, DomainError
from szca_unlock.logsetup import get_logger, mask_value
from szca_unlock.service.web import (
    pages_console,
    pages_flow,
    pages_login,
    pages_manual,
    pages_orders,
    pages_unlock,
)
from szca_unlock.service.web.render import STATIC_FILES, page_error, render
from szca_unlock.service.web.security import SecurityMiddleware, content_security_policy
from szca_unlock.service.web.session import LoginRequired

log = get_logger("service.pages")
PAGE_ROUTERS = (pages_login.router, pages_unlock.router, pages_flow.router,
                pages_orders.router, pages_manual.router, pages_console.router)
_HTTP_PAGE_MESSAGES = {404: "您访问的页面不存在", 405: "不支持该请求方式", 413: "提交的内容过大"}


def _is_page(request: Request) -> bool:
    return not request.url.path.startswith(("/api/", "/static/"))


def _error_page(request: Request, error: dict[str, Any], status_code: int) -> Response:
    return render(request, "error.html", {"error": {**error, "field": ""}},
                  status_code=status_code,
                  page="error", title="操作未完成")


def _page_aware(app: FastAPI, exc_class: type[Exception] | int,
                page_handler: Callable[[Request, Any], Response]) -> None:
    """Pages get HTML; ``/api`` keeps the JSON envelope handler already installed."""
    api_handler = app.exception_handlers[exc_class]

    async def handler(request: Request, exc: Exception) -> Any:
        if _is_page(request):
            return page_handler(request, exc)
        result = api_handler(request, exc)
        return await result if hasattr(result, "__await__") else result

    app.add_exception_handler(exc_class, handler)


def _domain_page(request: Request, exc: DomainError) -> Response:
    error = page_error(exc)
    return _error_page(request, error, int(error["status"]))


def _http_page(request: Request, exc: StarletteHTTPException) -> Response:
    message = _HTTP_PAGE_MESSAGES.get(exc.status_code, "请求无法处理")
    return _error_page(request, {"code": "http_error", "message": message, "field": "",
                                 "help": "", "status": exc.status_code}, exc.status_code)


def _unexpected_page(request: Request, exc: Exception) -> Response:
    log.error("unhandled %s on %s %s: %s", type(exc).__name__, request.method,
              request.url.path, mask_value(str(exc)), exc_info=exc)
    return _error_page(request, {"code": "internal_error", "message": "系统繁忙，请稍后重试",
                                 "field": "", "help": CS_HELP, "status": 500}, 500)


async def _login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    return RedirectResponse(exc.location, status_code=303)


async def _refuse(scope: Any, message: str) -> Response:
    request = Request(scope)
    if "application/json" in request.headers.get("accept", ""):
        from fastapi.responses import JSONResponse

        return JSONResponse({"error": {"code": "csrf_failed", "message": message}},
                            status_code=403)
    return _error_page(request, {"code": "csrf_failed", "message": message, "field": "",
                                 "help": "", "status": 403}, 403)


def install_portal(app: FastAPI, *, assistant_origin: str) -> None:
    for router in PAGE_ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(packages=[STATIC_FILES]), name="static")
    app.add_exception_handler(LoginRequired, _login_required)
    _page_aware(app, DomainError, _domain_page)
    _page_aware(app, StarletteHTTPException, _http_page)
    _page_aware(app, Exception, _unexpected_page)
    app.add_middleware(SecurityMiddleware, csp=content_security_policy(assistant_origin),
                       refuse=_refuse)
