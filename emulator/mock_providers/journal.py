"""Every request that reaches the mock (matched or not) and what it answered, queryable."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from szca_unlock.logsetup import mask_value


@dataclass(frozen=True)
class JournalEntry:
    id: int
    at: float
    provider: str | None
    action: str | None
    method: str
    path: str
    status: int | None
    fault: str | None
    mobile: str | None
    id_number: str | None
    request: Any
    response: Any

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def format(self) -> str:
        """One line for logs and test failure output, with ID numbers, cards and mobiles masked."""
        text = (f"#{self.id} {self.provider}/{self.action} {self.method} {self.path} -> "
                f"{self.status}{' fault=' + self.fault if self.fault else ''} "
                f"req={json.dumps(self.request, ensure_ascii=False)} "
                f"resp={json.dumps(self.response, ensure_ascii=False)}")
        return mask_value(text)

    __str__ = format


class Journal:
    """Append-only list with filters; ``clear()`` empties it."""

    def __init__(self, limit: int = 10_000) -> None:
        self._entries: list[JournalEntry] = []
        self._ids = itertools.count(1)
        self._limit = limit
        self._lock = threading.Lock()

    def record(self, **fields: Any) -> JournalEntry:
        with self._lock:
            entry = JournalEntry(id=next(self._ids), **fields)
            self._entries.append(entry)
            if len(self._entries) > self._limit:  # bounded so a long soak does not eat memory
                del self._entries[: len(self._entries) - self._limit]
        return entry

    def query(self, *, provider: str | None = None, action: str | None = None,
              mobile: str | None = None, id_number: str | None = None) -> list[JournalEntry]:
        with self._lock:
            entries = list(self._entries)
        return [e for e in entries
                if (provider is None or e.provider == provider)
                and (action is None or e.action == action)
                and (mobile is None or e.mobile == mobile)
                and (id_number is None or e.id_number == id_number)]

    def __iter__(self) -> Iterator[JournalEntry]:
        return iter(self.query())

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
