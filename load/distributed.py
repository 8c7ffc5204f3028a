"""Locust's master and workers: the master's bind address and how many workers it waits
for (started here on loopback, or joining from other machines), each worker's share of
the population (``SZCA_LOAD_PARTITION=k/N``) and the command line that joins a master."""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from load.manifest import PARTITION_ENV, WorldManifest

WILDCARDS = ("0.0.0.0", "::")


@dataclass(frozen=True)
class MasterOptions:
    """``local_workers`` are started by the runner with partitions 0 … local-1; the
    ``remote_workers`` join from elsewhere with partitions local … total-1."""

    local_workers: int = 0
    remote_workers: int = 0
    bind_host: str = "127.0.0.1"
    bind_port: int = 0  # 0: a free port

    def __post_init__(self) -> None:
        if self.local_workers < 0 or self.remote_workers < 0:
            raise ValueError("worker counts cannot be negative")
        if not 0 <= self.bind_port < 65536:
            raise ValueError(f"--master-bind-port {self.bind_port} is not a port (1–65535)")

    @property
    def distributed(self) -> bool:
        return self.total > 0

    @property
    def total(self) -> int:
        return self.local_workers + self.remote_workers

    def partition(self, worker: int) -> str:
        return f"{worker}/{self.total}"

    def remote_partitions(self) -> list[str]:
        return [self.partition(k) for k in range(self.local_workers, self.total)]


def master_args(options: MasterOptions, port: int) -> list[str]:
    return ["--master", "--master-bind-host", options.bind_host, "--master-bind-port",
            str(port), "--expect-workers", str(options.total)]


def worker_args(locustfile: Path, master_host: str, master_port: int,
                classes: tuple[str, ...]) -> list[str]:
    return [sys.executable, "-m", "locust", "-f", str(locustfile), "--worker",
            "--master-host", master_host, "--master-port", str(master_port),
            "--loglevel", "WARNING", *classes]


def join_commands(profile: str, master_host: str, port: int, options: MasterOptions,
                  overrides: list[str]) -> list[str]:
    """What to run on each other machine (after copying ``world.json`` and
    ``population.pickle`` there): one ``szca-load worker`` per remote partition."""
    if master_host in WILDCARDS:
        master_host = "MASTER-ADDRESS"  # the machine's own address, as the workers reach it
    return [shlex.join(["szca-load", "worker", profile, "--master-host", master_host,
                        "--master-port", str(port), "--partition", part,
                        "--world", "world.json", *overrides])
            for part in options.remote_partitions()]



def partition_env(part: str) -> dict[str, str]:
    return {PARTITION_ENV: part}


def local_manifest(world: Path, population: Path | None, directory: Path, *,
                   service_url: str = "", mock_url: str = "") -> Path:
    """A worker's own ``world.json``: the master's copy with this machine's path of the
    population (default: beside ``world``) and, if given, the world's URLs as this machine
    reaches them."""
    manifest = WorldManifest.read(world)
    population = population or world.parent / "population.pickle"
    if not population.is_file():
        raise FileNotFoundError(f"{population}: copy the run's world/population.pickle here "
                                "(or name it with --population)")
    local = replace(manifest, population=str(population.resolve()),
                    service_url=service_url or manifest.service_url,
                    mock_url=mock_url or manifest.mock_url)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "world.json"
    local.write(path)
    path.chmod(0o600)  # the test world's master key and staff password
    return path
