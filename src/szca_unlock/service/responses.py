"""The error answers each route declares in the OpenAPI document (``responses=`` on the
routers): every refusal is the ``ErrorResponse`` envelope, with the status table of
docs/api.md. A client generated from /openapi.json, or a schema-driven test, then knows
every status a route can answer and the body that comes with it."""

from __future__ import annotations

from typing import Any

from szca_unlock.api.common import ErrorResponse
from szca_unlock.domain.uploads import UploadKind

_DESCRIPTIONS = {
    400: "A business rule refuses the request (e.g. agreements not accepted)",
    401: "No, unknown or expired session (`unauthenticated`), or wrong credentials",
    403: "The role may not do this (`forbidden`)",
    404: "Unknown certificate, order or document, or an order of another login",
    409: "The order is not in a state that allows the step, or C-6 `data_conflict`",
    413: "The request body is larger than the route allows (JSON 16 KiB, uploads 2M plus "
         "the multipart envelope); refused before it is read",
    422: "A field has the wrong format (`invalid_request` or a validator code); "
         "`field` names it",
    429: "Too many requests; `Retry-After` says when to try again",
    502: "An identity provider refused the request; nothing was verified",
    503: "An identity provider could not answer, or the service is busy; try again later",
}

# Every route: an oversized body, a malformed request, a busy database.
COMMON = (413, 422, 503)
# Routes of a logged-in applicant on an order: login, role, agreements, the order, its state.
APPLICANT_ORDER = (400, 401, 403, 404, 409)
# Routes that call an identity provider (SMS, face, carrier, bank, deposit).
PROVIDER = (429, 502, 503)
# What an uploaded document is served as (uploads are sniffed by content).
STORED_TYPES = tuple(kind.mime_type for kind in UploadKind)


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=errors(401, 404)``: these statuses answer the error envelope."""
    return {status: {"model": ErrorResponse, "description": _DESCRIPTIONS[status]}
            for status in sorted(set(statuses))}


def binary(*media_types: str) -> dict[int | str, dict[str, Any]]:
    """A 200 that answers file bytes (PDF, image) instead of JSON."""
    return {200: {"description": "The file's bytes",
                  "content": {m: {"schema": {"type": "string", "format": "binary"}}
                              for m in media_types}}}
