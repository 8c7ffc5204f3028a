"""The service's wire contract, shared by the service and every client: request and
response models (one module per area), the error envelope (``envelope``) and the one
client-side error root (``errors``)."""

from szca_unlock.api.errors import (
    ApiConflict,
    ApiDataConflict,
    ApiError,
    ApiForbidden,
    ApiNotFound,
    ApiRateLimited,
    ApiUnauthorized,
    ApiUnavailable,
    error_from_response,
)

__all__ = ["ApiConflict", "ApiDataConflict", "ApiError", "ApiForbidden", "ApiNotFound",
           "ApiRateLimited", "ApiUnauthorized", "ApiUnavailable", "error_from_response"]
