"""Path parameters shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

# A stored row's number: SQL integers are signed 64-bit, and a larger number would not
# even bind to the query (a 500), so it is refused as out of range (422).
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]
