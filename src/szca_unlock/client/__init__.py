"""Typed HTTP client of the unlock service API (docs/api.md): the ``szca`` CLI, the BDD
steps and the Locust tasks all drive the service through it. Refusals raise
``szca_unlock.api.ApiError`` and its subclasses."""

from szca_unlock.client.service import ServiceClient

__all__ = ["ServiceClient"]
