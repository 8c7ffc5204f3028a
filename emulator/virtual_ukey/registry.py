"""The record of one virtual U-KEY world, shared by its processes under a file lock.

A world (its pcscd, readers and inserted cards) belongs to one home: the record, the lock,
pcscd's configuration, socket and logs live in ``<ukey home>/world/``. Holders (processes
using the world, "cli" for ``szca-ukey up``, "szca-emulator:<home>" for ``szca-emulator
up``) keep it alive; the last one out stops it. An inserted card occupies its reader.
Every process is recorded with its start time, so a PID the kernel has since given to
another process is never taken for ours (never signalled, never counted as a holder).
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from emulator.virtual_ukey import processes
from emulator.virtual_ukey.pcsc import Reader


def runtime_dir_of(ukey_home: Path) -> Path:
    return ukey_home.resolve() / "world"


@dataclass
class Insertion:
    serial: str
    home: str
    port: int
    pid: int
    started: int | None = None
    holder: str = ""  # who inserted it (named when the readers run out)


@dataclass
class WorldRecord:
    pcscd_pid: int | None = None
    pcscd_started: int | None = None
    readers: list[Reader] = field(default_factory=list)
    # holder → [pid, start time] of the holding process, or None (a command-line holder)
    holders: dict[str, list[int] | None] = field(default_factory=dict)
    cards: dict[str, Insertion] = field(default_factory=dict)  # reader name → insertion

    @property
    def running(self) -> bool:
        return processes.alive(self.pcscd_pid, self.pcscd_started)

    def prune(self) -> None:
        """Forget holders and cards whose process has died."""
        self.holders = {h: p for h, p in self.holders.items()
                        if p is None or processes.alive(p[0], p[1])}
        self.cards = {r: c for r, c in self.cards.items()
                      if processes.alive(c.pid, c.started)}

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

    def __init__(self, runtime_dir: Path) -> None:
        self.dir = runtime_dir.resolve()
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
            pcscd_started=raw.get("pcscd_started"),
            readers=[Reader(**r) for r in raw.get("readers", [])],
            holders=raw.get("holders", {}),
            cards={k: Insertion(**v) for k, v in raw.get("cards", {}).items()},
        )

    def _save(self, record: WorldRecord) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(record), indent=1))
        tmp.replace(self.path)
