"""The agent's record of an unlock in flight, on disk, so a crash loses nothing.

Written before every step that cannot be undone and removed only after the service
confirmed: before RESET RETRY COUNTER (authorisation id + challenge), right after it (+ the
card's receipt), before the SO PIN rotation (the released SO PINs: the service never
releases them again). A later run of the agent for the same order finds the record and
finishes the confirm instead of resetting the key a second time.

One JSON file per order under ``$SZCA_HOME/agent/unlocks`` (directory 0700, files 0600,
written to a temporary file, fsynced and renamed into place).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from szca_unlock.config import home_dir

_SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class PendingUnlock:
    order_id: str
    key_serial: str
    kind: str  # "card" | "so_pin"
    authorisation_id: str
    challenge: str = ""  # hex, card path
    receipt: str = ""  # hex, once the card answered
    so_pin: str = ""  # SO-PIN path: the pair released once
    new_so_pin: str = ""

    def with_receipt(self, receipt_hex: str) -> PendingUnlock:
        return replace(self, receipt=receipt_hex)

    def __repr__(self) -> str:  # never print SO PINs
        return (f"PendingUnlock(order_id={self.order_id!r}, kind={self.kind!r}, "
                f"authorisation_id={self.authorisation_id!r}, receipt={bool(self.receipt)})")


class ReceiptStore:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or home_dir() / "agent" / "unlocks"

    def _path(self, order_id: str) -> Path:
        if not _SAFE_NAME.match(order_id):
            raise ValueError(f"not an order number: {order_id!r}")
        return self.directory / f"{order_id}.json"

    def save(self, pending: PendingUnlock) -> None:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.directory, 0o700)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".unlock.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:  # mkstemp: mode 0600
                json.dump(asdict(pending), handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self._path(pending.order_id))
            dir_fd = os.open(self.directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def load(self, order_id: str) -> PendingUnlock | None:
        try:
            raw = json.loads(self._path(order_id).read_text("utf-8"))
        except FileNotFoundError:
            return None
        return PendingUnlock(**raw)

    def discard(self, order_id: str) -> None:
        self._path(order_id).unlink(missing_ok=True)
