"""Per-process load context: the world manifest, the population and this process's
share of the account pools (loaded once, shared by every virtual user of the process)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from load.manifest import WorldManifest, partition_from_env
from load.pool import AccountPool, Lease
from load.population import Account, LoadPopulation, load_population


@dataclass
class ManualCase:
    """A manual-review order on its way: submitted, then approved, then unlocked by the
    same applicant (who keeps the account leased meanwhile)."""

    lease: Lease[Account]
    token: str
    order_no: str
    started: float


@dataclass
class LoadContext:
    manifest: WorldManifest
    population: LoadPopulation
    pools: dict[str, AccountPool[Account]]
    # Hand-overs between users of this process (a worker never sees another's):
    sessions: deque[tuple[Account, str]] = field(default_factory=lambda: deque(maxlen=64))
    awaiting_review: deque[ManualCase] = field(default_factory=deque)
    approved: deque[ManualCase] = field(default_factory=deque)
    staff_taken: int = 0  # staff users of this process so far (one staff login each)

    @property
    def master_key(self) -> bytes:
        return bytes.fromhex(self.manifest.master_key_hex)


def partitioned(accounts: list[Account], part: int, parts: int) -> list[Account]:
    return [a for a in accounts if a.index % parts == part]


@lru_cache(maxsize=1)
def load_context() -> LoadContext:
    manifest = WorldManifest.from_env()
    population = load_population(Path(manifest.population))
    part, parts = partition_from_env()
    pools = {name: AccountPool(partitioned(accounts, part, parts))
             for name, accounts in population.accounts().items()}
    return LoadContext(manifest, population, pools)
