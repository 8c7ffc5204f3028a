"""A success is only a success when its body is the documented model."""

from __future__ import annotations

from typing import TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from szca_unlock.api.errors import ApiUnavailable

M = TypeVar("M", bound=BaseModel)
UNREADABLE_MESSAGE = "网厅服务返回了无法识别的数据"


def read_answer(model: type[M], response: httpx.Response) -> M:
    """``response``'s JSON body as ``model``; a body that is not JSON or not that model
    raises ``ApiUnavailable`` (code ``unreadable_answer``): the service answered, but not
    with what the API documents, so nothing of it is acted on."""
    try:
        return model.model_validate_json(response.content)
    except ValidationError as exc:
        raise ApiUnavailable(response.status_code, "unreadable_answer",
                             UNREADABLE_MESSAGE) from exc
