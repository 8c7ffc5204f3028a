"""Path and query parameters shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

# A stored row's number: SQL integers are signed 64-bit, and a larger number would not
# even bind to the query (a 500), so it is refused as out of range (422).
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]

# Paginated lists (store/pages.py): page size and the opaque cursor of the previous page.
PageLimit = Annotated[int, Query(ge=1, le=100, description="每页条数（1–100）")]
PageCursor = Annotated[str | None, Query(max_length=200, pattern=r"^[A-Za-z0-9_-]+$",
                                         description="上一页返回的 next_cursor")]
