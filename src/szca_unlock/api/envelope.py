"""The error envelope every refusal travels in: ``{"error": {"code", "message", "field"?,
"help"?}}`` (docs/api.md). The service renders it with ``render``; every client reads it
with ``parse``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ErrorFields:
    """What a refusal said; ``None`` where the body did not say it."""

    code: str | None = None
    message: str | None = None
    field: str | None = None
    help: str | None = None


def render(code: str, message: str, field: str | None = None,
           help: str | None = None) -> dict[str, Any]:
    """The envelope as the service answers it; empty ``field`` and ``help`` are left out."""
    body: dict[str, Any] = {"code": code, "message": message}
    if field:
        body["field"] = field
    if help:
        body["help"] = help
    return {"error": body}


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def parse(body: Any) -> ErrorFields:
    """The fields of the service's envelope, of a bare ``{"code", "message", ...}``, or of
    FastAPI's ``{"detail": ...}`` (a string, such an object, or a list of validation
    errors) that a proxy or an older service may answer; anything else says nothing."""
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        body = body["error"]
    elif isinstance(body, dict) and "detail" in body and "message" not in body:
        body = body["detail"]
    if isinstance(body, list) and body:
        body = body[0]
    if isinstance(body, str):
        return ErrorFields(message=_text(body))
    if not isinstance(body, dict):
        return ErrorFields()
    return ErrorFields(code=_text(body.get("code") or body.get("type")),
                       message=_text(body.get("message") or body.get("msg")),
                       field=_text(body.get("field")), help=_text(body.get("help")))
