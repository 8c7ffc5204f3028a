"""The machine-wide record of the virtual world, shared by every process under a file lock.

pcscd has one socket per machine, so the world (pcscd, its readers, the inserted cards)
is machine-wide too: ``$SZCA_UKEY_WORLD`` or ``/tmp/szca-ukey-world-<uid>/``. Holders
(processes using the world, or "cli" for ``szca-ukey up``) keep it alive; the last one out
stops it. An inserted card occupies its reader: that is the reader lease.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from emulator.virtual_ukey import processes
from emulator.virtual_ukey.pcsc import Reader


def default_runtime_dir() -> Path:
    return Path(os.environ.get("SZCA_UKEY_WORLD") or f"/tmp/szca-ukey-world-{os.getuid()}")


@dataclass
class Insertion:
    serial: str
    home: str
    port: int
    pid: int


@dataclass
class WorldRecord:
    pcscd_pid: int | None = None
    readers: list[Reader] = field(default_factory=list)
    holders: dict[str, int | None] = field(default_factory=dict)
    cards: dict[str, Insertion] = field(default_factory=dict)  # reader name → insertion

    @property
    def running(self) -> bool:
        pid = self.pcscd_pid
        return processes.alive(pid) and "pcscd" in " ".join(processes.command_line(pid or 0))

    def prune(self) -> None:
        """Forget holders and cards whose process has died."""
        self.holders = {h: pid for h, pid in self.holders.items() if pid is None or
                        processes.alive(pid)}
        self.cards = {r: c for r, c in self.cards.items() if processes.alive(c.pid)}

    def reader(self, name: str) -> Reader:
        for reader in self.readers:
            if reader.name == name:
                return reader
        raise KeyError(name)

    def find(self, home: Path, serial: str) -> str | None:
        for name, card in self.cards.items():
            if card.serial == serial and card.home == str(home):
                return name
        return None


class Registry:
    """Load/save the world record; ``locked()`` serialises every change across processes."""

    def __init__(self, runtime_dir: Path | None = None) -> None:
        self.dir = (runtime_dir or default_runtime_dir()).resolve()
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.path = self.dir / "world.json"

    @contextmanager
    def locked(self) -> Iterator[WorldRecord]:
        with open(self.dir / "lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                record = self._load()
                yield record
                self._save(record)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def peek(self) -> WorldRecord:
        """A snapshot without the lock (for status displays)."""
        return self._load()

    def _load(self) -> WorldRecord:
        try:
            raw = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return WorldRecord()
        return WorldRecord(
            pcscd_pid=raw.get("pcscd_pid"),
            readers=[Reader(**r) for r in raw.get("readers", [])],
            holders=raw.get("holders", {}),
            cards={k: Insertion(**v) for k, v in raw.get("cards", {}).items()},
        )

    def _save(self, record: WorldRecord) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(record), indent=1))
        tmp.replace(self.path)
