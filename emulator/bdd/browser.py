"""What the user's browser does against the service: one login's HTTP session.

Every answer is kept (``last``) so that a ``那么`` step can check what the page would show:
the error code, the Chinese message and the customer-service help.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any

    @property
    def ok(self) -> bool:
        return self.status < 300

    @property
    def error(self) -> dict[str, Any]:
        if self.ok or not isinstance(self.body, dict) or "error" not in self.body:
            raise AssertionError(f"expected an error answer, got {self.status}: {self.body}")
        return dict(self.body["error"])

    def text(self) -> str:
        """Everything the page shows for an error: message plus help."""
        error = self.error
        return f"{error.get('message', '')} {error.get('help') or ''}"


class Browser:
    def __init__(self, base_url: str, timeout_s: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout_s)
        self.token = ""
        self.last: Answer | None = None

    def close(self) -> None:
        self._http.close()

    def call(self, method: str, path: str, **kwargs: Any) -> Answer:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = self._http.request(method, f"/api{path}", headers=headers, **kwargs)
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = response.content
        self.last = Answer(response.status_code, body)
        return self.last

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = self.call(method, path, **kwargs)
        if not answer.ok:
            raise AssertionError(f"{method} {path} answered {answer.status}: {answer.body}")
        return answer.body

    def raw(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Non-JSON answers (the application form PDF)."""
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return self._http.request(method, f"/api{path}", headers=headers, **kwargs)
