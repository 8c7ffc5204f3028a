"""Store errors the service maps to HTTP answers."""

from __future__ import annotations

from szca_unlock.domain.errors import DomainError


class NotFound(DomainError):
    """A looked-up row does not exist; ``code`` is ``<what>.not_found``."""

    def __init__(self, what: str, message: str, field: str | None = None) -> None:
        super().__init__(f"{what}.not_found", message, field)
        self.what = what
