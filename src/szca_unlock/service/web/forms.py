"""Page forms → the API's request models, so a page refuses exactly what the API refuses
and says it with the same Chinese field message."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from szca_unlock.domain.errors import DomainError
from szca_unlock.service.field_labels import validation_message

Model = TypeVar("Model", bound=BaseModel)


def parse_form(model: type[Model], form: Mapping[str, Any], *,
               fields: tuple[str, ...]) -> Model:
    """``model`` from the named form fields (blank ones left out, as a JSON client would);
    a refusal is a ``DomainError`` naming the field, like the API's 422."""
    data = {name: str(form.get(name, "")).strip() for name in fields}
    try:
        return model.model_validate({k: v for k, v in data.items() if v})
    except PydanticValidationError as exc:
        errors = exc.errors()
        field, message = validation_message(dict(errors[0]) if errors else {})
        raise DomainError("invalid_request", message, field) from exc
