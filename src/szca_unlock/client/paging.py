"""The pagination query of the service's lists (docs/api.md, Pagination)."""

from __future__ import annotations

from urllib.parse import urlencode


def page_path(path: str, limit: int | None, cursor: str | None) -> str:
    """``path`` with ``limit`` and ``cursor`` when given."""
    query = urlencode({k: v for k, v in (("limit", limit), ("cursor", cursor)) if v is not None})
    return f"{path}?{query}" if query else path
