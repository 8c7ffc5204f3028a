"""Mock identity providers: SMS, carrier 3 elements, bank card 4 elements, WeChat face liveness
(Tencent Cloud API wire protocol) and a corporate micro-deposit REST API. See docs/providers.md."""

from __future__ import annotations

from .app import create_app
from .state import ProviderState

__all__ = ["ProviderState", "create_app"]
