"""Per-process load context: the world manifest, the population and this process's
share of the account pools (loaded once, shared by every virtual user of the process)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from load.manifest import WorldManifest, partition_from_env
from load.pool import AccountPool
from load.population import Account, LoadPopulation, load_population

RETURNING = "returning"


@dataclass
class LoadContext:
    manifest: WorldManifest
    population: LoadPopulation
    pools: dict[str, AccountPool[Account]]

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
    pools[RETURNING] = AccountPool([])  # applicants with orders, come back to 我的业务单
    return LoadContext(manifest, population, pools)
