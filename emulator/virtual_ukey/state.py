"""A card's persistent state and where it lives: ``<home>/cards/<serial>/state.json``.

Writes are atomic (temp file + fsync + rename) so a crash never leaves a half-written
counter: a locked key stays locked after removal, re-insertion or a restart.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from szca_unlock.config import home_dir

_SERIAL_RE = re.compile(r"^[A-Za-z0-9-]{4,32}$")


class CardNotFound(LookupError):
    """No card with this serial under this home."""


def ukey_home() -> Path:
    """``$SZCA_HOME/ukey``: cards, SoftHSM tokens."""
    return home_dir() / "ukey"


def check_serial(serial: str) -> str:
    if not _SERIAL_RE.match(serial):
        raise ValueError(f"key serial must be 4-32 ASCII letters, digits or '-', got {serial!r}")
    return serial


@dataclass(frozen=True)
class CardState:
    """Everything the card remembers between sessions. ``unlock_key`` is hex."""

    serial: str
    pin_hash: str
    unlock_key: str
    cert_der: str  # hex
    key_ref: dict[str, Any]
    max_tries: int = 6
    tries_left: int = 6
    admin_max: int = 10
    admin_left: int = 10
    pin_min: int = 6
    pin_max: int = 16
    challenge_lifetime_s: float = 120.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def blocked(self) -> bool:
        return self.tries_left == 0

    @property
    def admin_blocked(self) -> bool:
        return self.admin_left == 0

    def with_(self, **changes: Any) -> CardState:
        return replace(self, **changes)


class CardRepository:
    """Load and save card states under one ukey home directory."""

    def __init__(self, home: Path | None = None) -> None:
        self.home = (home or ukey_home()).resolve()

    def card_dir(self, serial: str) -> Path:
        return self.home / "cards" / check_serial(serial)

    def exists(self, serial: str) -> bool:
        return (self.card_dir(serial) / "state.json").is_file()

    def load(self, serial: str) -> CardState:
        path = self.card_dir(serial) / "state.json"
        try:
            raw = json.loads(path.read_text("utf-8"))
        except FileNotFoundError as exc:
            raise CardNotFound(serial) from exc
        return CardState(**raw)

    def save(self, state: CardState) -> None:
        directory = self.card_dir(state.serial)
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        payload = json.dumps(asdict(state), indent=1).encode("utf-8")
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".state.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, directory / "state.json")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def serials(self) -> list[str]:
        root = self.home / "cards"
        if not root.is_dir():
            return []
        return sorted(p.name for p in root.iterdir() if (p / "state.json").is_file())

    def delete(self, serial: str) -> None:
        directory = self.card_dir(serial)
        for path in sorted(directory.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        directory.rmdir()
