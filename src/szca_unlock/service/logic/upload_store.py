"""Where uploads and rendered application forms live: ``<SZCA_HOME>/uploads``, outside the
database, content-addressed and write-once (documents/storage.py)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from szca_unlock.documents.storage import UploadStorage
from szca_unlock.service.context import ServiceContext
from szca_unlock.store.models_orders import DocumentRow
from szca_unlock.store.repo_orders import list_rendered_forms

# Longer than any upload or form render takes between storing a file and committing the
# row that refers to it, in this process or another one sharing the directory.
SWEEP_GRACE_S = 3600


def referenced_objects(db: Session) -> set[str]:
    """Every stored file a record refers to: documents (all rounds, replaced and withdrawn
    ones included) and the rendered application forms kept in order forms."""
    shas = set(db.scalars(select(DocumentRow.sha256)))
    shas.update(pdf.sha256 for pdf in list_rendered_forms(db))
    return shas


def sweep_debris(ctx: ServiceContext) -> tuple[int, int]:
    """At start: what a killed process left behind (temporary files, stored files no
    record refers to); anything a record refers to stays."""
    with ctx.db.session(readonly=True) as db:
        referenced = referenced_objects(db)
    return storage_for(ctx).sweep(referenced, older_than_s=SWEEP_GRACE_S)


def storage_for(ctx: ServiceContext) -> UploadStorage:
    # Cheap to build (it only makes sure the directories exist), so no shared state is kept.
    return UploadStorage(ctx.settings.home / "uploads")
