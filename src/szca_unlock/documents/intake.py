"""Accepting one upload: inspect first, store only what passed.

The order matters: a refused file (wrong type, truncated, bomb, too large, bad name)
raises before a single byte reaches the store, so "nothing is stored" holds by
construction rather than by clean-up.
"""

from __future__ import annotations

from dataclasses import dataclass

from szca_unlock.documents.inspect import InspectedUpload, inspect_upload
from szca_unlock.documents.storage import StoredFile, UploadStorage


@dataclass(frozen=True, slots=True)
class AcceptedUpload:
    inspected: InspectedUpload
    stored: StoredFile


def accept_upload(
    storage: UploadStorage, filename: str, data: bytes, field: str = "file"
) -> AcceptedUpload:
    inspected = inspect_upload(filename, data, field)
    return AcceptedUpload(inspected, storage.put(data, inspected.content_type))
