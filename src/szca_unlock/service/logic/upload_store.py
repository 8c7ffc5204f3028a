"""Where uploads and rendered application forms live: ``<SZCA_HOME>/uploads``, outside the
database, content-addressed and write-once (documents/storage.py)."""

from __future__ import annotations

from szca_unlock.documents.storage import UploadStorage
from szca_unlock.service.context import ServiceContext


def storage_for(ctx: ServiceContext) -> UploadStorage:
    # Cheap to build (it only makes sure the directories exist), so no shared state is kept.
    return UploadStorage(ctx.settings.home / "uploads")
