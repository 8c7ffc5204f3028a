"""What ``CpuPool`` workers run: module-level functions with picklable arguments and
results. A refusal comes back as ``Refused`` rather than as the raised error, because a
``DomainError`` does not survive pickling (its constructor takes more than the message).
"""

from __future__ import annotations

from dataclasses import dataclass

from szca_unlock.documents.application_form import ApplicationFormData, render_application_form
from szca_unlock.documents.inspect import InspectedUpload, Preview, inspect_upload, make_preview
from szca_unlock.domain.errors import ValidationError
from szca_unlock.domain.uploads import UploadKind


@dataclass(frozen=True)
class Refused:
    code: str
    message: str
    field: str | None

    def error(self) -> ValidationError:
        return ValidationError(self.code, self.message, self.field)


def render_form(data: ApplicationFormData) -> bytes:
    return render_application_form(data)


def inspect(filename: str, data: bytes, field: str) -> InspectedUpload | Refused:
    """Open the whole file (every image frame decoded, the PDF parsed)."""
    try:
        return inspect_upload(filename, data, field)
    except ValidationError as exc:
        return Refused(exc.code, exc.message, exc.field)


def preview(data: bytes, kind: UploadKind) -> Preview:
    return make_preview(data, kind)
