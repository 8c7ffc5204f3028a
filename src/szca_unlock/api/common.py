"""Pieces shared by the request/response models."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

# Typed values are trimmed; the domain validators decide what they mean.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Hex = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=512,
                                       pattern=r"^[0-9A-Fa-f]+$")]


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
