"""The service's error body as an exception the caller can show or branch on."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """``{"error": {"code", "message", "field"?, "help"?}}`` with the HTTP status."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None,
                 help: str | None = None, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.help = help
        self.retry_after = retry_after

    def __str__(self) -> str:
        return self.message if not self.help else f"{self.message}({self.help})"

    @classmethod
    def from_response(cls, status: int, body: Any, headers: Any) -> ApiError:
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            return cls(status, "http_error", f"网厅服务返回了错误(HTTP {status})")
        retry = headers.get("Retry-After")
        return cls(status, str(error.get("code", "")), str(error.get("message", "")),
                   error.get("field"), error.get("help"),
                   int(retry) if retry and retry.isdigit() else None)
