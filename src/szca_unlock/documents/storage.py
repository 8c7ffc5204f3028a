"""Upload storage outside the database: write-once, content-addressed files.

A file lives at ``<root>/objects/ab/cd/<sha256>``. It is written to ``<root>/tmp`` first,
flushed to disk, then hard-linked into place: ``link`` never replaces an existing name,
so a stored original can never be overwritten, and readers never see half a file.
There is deliberately no delete: "replace" and "delete" before submission change the
order's records, never the stored bytes (originals are never lost).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from szca_unlock.domain.errors import DomainError
from szca_unlock.logsetup import get_logger

_log = get_logger("documents.storage")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_FILE_MODE = 0o444  # read-only: a stray open(..., "w") fails instead of rewriting evidence
_DIR_MODE = 0o700


class StoredFileError(DomainError):
    """A stored upload cannot be read back as it was written."""


@dataclass(frozen=True, slots=True)
class StoredFile:
    sha256: str
    size: int
    path: Path
    content_type: str


class UploadStorage:
    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self._objects = self.root / "objects"
        self._tmp = self.root / "tmp"
        for directory in (self.root, self._objects, self._tmp):
            directory.mkdir(mode=_DIR_MODE, parents=True, exist_ok=True)

    def path_for(self, sha256: str) -> Path:
        """Where the file with this hash lives; anything but 64 hex digits is refused, so a
        hash taken from a request can never name a path outside the store."""
        if not _SHA256.match(sha256):
            raise ValueError("not a lower-case sha256 hex digest")
        return self._objects / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes, content_type: str) -> StoredFile:
        """Stores ``data`` (once per distinct content) and describes it."""
        digest = hashlib.sha256(data).hexdigest()
        final = self.path_for(digest)
        if not final.exists():
            self._write_once(data, final)
        return StoredFile(digest, len(data), final, content_type)

    def _write_once(self, data: bytes, final: Path) -> None:
        final.parent.mkdir(mode=_DIR_MODE, parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=self._tmp, prefix="upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp_name, _FILE_MODE)
            # FileExistsError: the same content was stored concurrently, nothing is lost
            with contextlib.suppress(FileExistsError):
                os.link(tmp_name, final)
            _fsync_dir(final.parent)
        finally:
            os.unlink(tmp_name)
        _log.info("stored upload %s (%d bytes)", final.name[:12], len(data))

    def read(self, sha256: str) -> bytes:
        """The stored bytes, after checking they still hash to ``sha256``."""
        path = self.path_for(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            _log.error("stored upload %s is missing", sha256[:12])
            raise StoredFileError("upload.missing", "文件不存在或已丢失，请联系深圳CA客服",
                                  None) from None
        if hashlib.sha256(data).hexdigest() != sha256:
            _log.error("stored upload %s does not match its hash", sha256[:12])
            raise StoredFileError("upload.corrupted", "文件已损坏，请联系深圳CA客服", None)
        return data

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def sweep(self, referenced: Iterable[str], *, older_than_s: float,
              now: float | None = None) -> tuple[int, int]:
        """Remove crash debris: files left in ``tmp`` and stored objects no record refers
        to, both only when older than ``older_than_s`` (another process may be between
        storing an object and committing the row that refers to it). Returns (temporary
        files, objects) removed."""
        cutoff = (time.time() if now is None else now) - older_than_s
        keep = set(referenced)
        temps = objects = 0
        for path in self._tmp.iterdir():
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                temps += 1
        for path in self._objects.glob("*/*/*"):
            if path.name not in keep and path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                objects += 1
        if temps or objects:
            _log.warning("swept %d temporary files and %d unreferenced stored files",
                         temps, objects)
        return temps, objects


def _fsync_dir(directory: Path) -> None:
    """Makes the new directory entry itself durable (the file's data already is)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
