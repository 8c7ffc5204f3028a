"""Typed HTTP client of the unlock service API (docs/api.md): the ``szca`` CLI, the BDD
steps and the Locust tasks all drive the service through it."""

from szca_unlock.client.errors import ApiError
from szca_unlock.client.service import ServiceClient

__all__ = ["ApiError", "ServiceClient"]
