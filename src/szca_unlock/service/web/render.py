"""Jinja2 rendering of the portal's pages: one ``base.html``, autoescaped, and strict about
undefined names (a misspelt variable fails the page instead of showing a placeholder)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta, timezone
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from szca_unlock.domain.errors import CS_HELP, DomainError
from szca_unlock.service.web.security import CSRF_COOKIE, new_csrf_token

# Shipped in the package (read through importlib.resources, so any install has them).
STATIC_FILES = ("szca_unlock.service.web", "static")  # Starlette StaticFiles(packages=[...])
SITE_NAME = "深圳CA网上营业厅"
HOTLINE = "400-112-3838"
CHINA = timezone(timedelta(hours=8), "CST")  # times are shown as the user's wall clock

_env = Environment(loader=PackageLoader(STATIC_FILES[0], "templates"),
                   autoescape=select_autoescape(), undefined=StrictUndefined,
                   trim_blocks=True, lstrip_blocks=True)


def page_error(exc: DomainError) -> dict[str, Any]:
    """What a page shows next to the field: the API's error envelope, as data."""
    help_text = exc.help
    status = exc.status
    if help_text is None and status >= 500:
        help_text = CS_HELP
    return {"code": exc.code, "message": exc.message, "field": exc.field or "",
            "help": help_text or "", "status": status}


def csrf_token(request: Request) -> tuple[str, bool]:
    """This browser's CSRF token, and whether it is new (then the answer sets the cookie)."""
    token = request.cookies.get(CSRF_COOKIE)
    return (token, False) if token else (new_csrf_token(), True)


def render(request: Request, template: str, context: Mapping[str, Any], *,
           status_code: int = 200, page: str = "", title: str = "") -> HTMLResponse:
    token, new = csrf_token(request)
    settings = request.app.state.ctx.settings
    html = _env.get_template(template).render(
        {"site_name": SITE_NAME, "hotline": HOTLINE, "cs_help": CS_HELP,
         "csrf_token": token, "page": page, "title": title or SITE_NAME,
         "assistant_url": settings.assistant_url, "tz": CHINA, "logged_in": False, "error": None,
         "console": False,
         **context})
    response = HTMLResponse(html, status_code=status_code,
                            headers={"Cache-Control": "no-store"})
    if new:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/",
                            secure=request.url.scheme == "https")
    return response
