"""Pieces shared by the request/response models."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import BaseModel, ConfigDict, StringConstraints

# Typed values are trimmed; the domain validators decide what they mean.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Hex = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=512,
                                       pattern=r"^[0-9A-Fa-f]+$")]

# A stored row's number (path parameter): SQL integers are signed 64-bit, and a larger number
# would not even bind to the query (a 500), so it is refused as out of range (422).
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]


class Request(BaseModel):
    """Every request body: unknown fields are refused so a typo is not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None
    help: str | None = None


class ErrorResponse(BaseModel):
    error: ErrorDetail
