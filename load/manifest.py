"""What every Locust process needs to reach the running world: written by the runner,
read by the locustfile (path in ``SZCA_LOAD_WORLD``)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

WORLD_ENV = "SZCA_LOAD_WORLD"
PARTITION_ENV = "SZCA_LOAD_PARTITION"  # "k/N": this worker takes accounts with index % N == k


@dataclass(frozen=True)
class WorldManifest:
    service_url: str
    mock_url: str
    master_key_hex: str
    population: str  # path of the pickled LoadPopulation
    service_pid: int = 0
    staff_usernames: tuple[str, ...] = ()
    staff_password: str = ""  # random per run, test world only
    ca_dir: str = ""  # the world's test CA (issues certificates onto reader cards)
    ukey_home: str = ""  # card states of the pcscd reader world; empty: no readers started

    def __repr__(self) -> str:
        return f"WorldManifest(service_url={self.service_url!r}, mock_url={self.mock_url!r})"

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=1), encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> WorldManifest:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls(**{**raw, "staff_usernames": tuple(raw.get("staff_usernames", ()))})

    @classmethod
    def from_env(cls) -> WorldManifest:
        raw = os.environ.get(WORLD_ENV)
        if not raw:
            raise RuntimeError(f"{WORLD_ENV} is not set: start load tests with szca-load "
                               "(python -m load.cli), which starts the world first")
        return cls.read(Path(raw))


def parse_partition(raw: str) -> tuple[int, int]:
    """``"k/N"`` → (k, N): this worker takes accounts with index % N == k."""
    k, _, n = raw.partition("/")
    try:
        part, parts = int(k), int(n)
    except ValueError:
        part, parts = -1, 0
    if not 0 <= part < parts:
        raise ValueError(f"{PARTITION_ENV} must be k/N with 0 <= k < N, got {raw!r}")
    return part, parts


def partition_from_env() -> tuple[int, int]:
    return parse_partition(os.environ.get(PARTITION_ENV, "0/1"))
