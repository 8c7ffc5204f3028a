"""What a provider registers for one Tencent Cloud action: its request model and handler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from .state import ProviderState


class TencentRequest(BaseModel):
    """Tencent parameters are PascalCase; unknown ones (encryption options ...) are ignored."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)


Handler = Callable[[Any, "ProviderState", str | None], dict[str, Any]]


@dataclass(frozen=True)
class TencentAction:
    service: str  # credential-scope service: faceid | sms
    version: str
    name: str
    provider: str  # sms | carrier | bank | face
    request_model: type[TencentRequest]
    handler: Handler
