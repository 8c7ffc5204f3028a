"""One way to assemble an emulated world on loopback, for every kind of world: the
personas' world of ``szca-emulator up`` (emulator/stack.py) and the load world with its
bulk population (load/world.py).

A world lives in one home directory: its test CA (``ca/``), its database (migrated, then
seeded with a cast), the identity records the mock providers start with, and its servers'
logs (``run/logs/``). The mock providers and the service each run in their own process,
the service wired to the providers and given the world's master key.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from emulator.master_key import MasterKey
from emulator.personas import Scenario, TestCA, provider_records, seed_database
from emulator.ports import LOOPBACK
from emulator.servers import service_env, start_server
from emulator.virtual_ukey import processes
from szca_unlock.private_files import write_private
from szca_unlock.store.database import Database
from szca_unlock.store.migrate import upgrade_to_head

SERVICE = ("-m", "szca_unlock.service")  # the service as deployed (uvicorn, info log)


def database_url_of(home: Path) -> str:
    """The database of the world of ``home``: env ``DATABASE_URL``, else its SQLite file."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{home / 'szca.db'}"


@dataclass(frozen=True)
class Server:
    url: str
    pid: int
    started: int | None  # its start time: a reused PID is never taken for ours


class WorldBuilder:
    """``home`` holds the world; ``database_url`` defaults to ``$DATABASE_URL``, else SQLite
    in the home."""

    def __init__(self, home: Path, master_key: MasterKey, *, database_url: str = "",
                 host: str = LOOPBACK) -> None:
        self.home = home
        self.master_key = master_key
        self.host = host
        self.database_url = database_url or database_url_of(home)

    def test_ca(self) -> TestCA:
        """The world's test CA, made on first use."""
        return TestCA.load_or_create(self.home / "ca")

    @contextmanager
    def database(self) -> Iterator[Database]:
        """The world's database, migrated to the newest schema; personal data encrypted
        under the world's master key (the one its service gets)."""
        upgrade_to_head(self.database_url, master_key=self.master_key.value)
        database = Database(self.database_url, master_key=self.master_key.value)
        try:
            yield database
        finally:
            database.dispose()

    def seed(self, database: Database, scenario: Scenario, ca: TestCA,
             ders: Mapping[str, bytes], *, sealed_so_pins: Mapping[str, bytes] | None = None,
             ) -> None:
        """The cast's certificates (``ders``: serial hex → the DER on its card or token),
        key records and staff. Idempotent."""
        seed_database(database, scenario, ca, ders, sealed_so_pins=sealed_so_pins)

    def provider_records(self, scenario: Scenario) -> Path:
        """The identity records the mock providers start with (personal data: 0600)."""
        path = self.home / "run" / "provider-records.json"
        write_private(path, json.dumps(provider_records(scenario), ensure_ascii=False))
        return path

    def url(self, port: int) -> str:
        return f"http://{self.host}:{port}"

    def start_providers(self, port: int, records: Path, *, env: Mapping[str, str] | None = None,
                        instance: str | None = None, log_level: str = "info") -> Server:
        """The five mock providers, seeded with ``records``."""
        url = self.url(port)
        return self._start("providers", [
            "-m", "emulator.mock_providers", "--host", self.host, "--port", str(port),
            "--log-level", log_level, "--seed", str(records)],
            f"{url}/_control/health", url, dict(env or {}), instance)

    def start_service(self, port: int, providers_url: str, *,
                      env: Mapping[str, str] | None = None, instance: str | None = None,
                      command: Sequence[str] = SERVICE) -> Server:
        """The service on ``port``, using the mock providers at ``providers_url``; its
        settings come from the environment (``service_env``)."""
        url = self.url(port)
        return self._start("service", [*command, "--host", self.host, "--port", str(port)],
                           f"{url}/api/health", url,
                           {**self.service_settings(providers_url, url), **(env or {})}, instance)

    def service_settings(self, providers_url: str, service_url: str) -> dict[str, str]:
        """The service's environment in this world (home, database, master key, providers)."""
        return service_env(home=self.home, database_url=self.database_url,
                           master_key_hex=self.master_key.hex, providers_url=providers_url,
                           public_url=service_url)

    def start_process(self, name: str, args: list[str], ready_url: str, url: str, *,
                      env: Mapping[str, str] | None = None,
                      instance: str | None = None) -> Server:
        """Another server of this world (``python <args>``), log in ``run/logs/<name>.log``."""
        return self._start(name, args, ready_url, url, dict(env or {}), instance)

    def _start(self, name: str, args: list[str], ready_url: str, url: str,
               env: dict[str, str], instance: str | None) -> Server:
        pid = start_server(args, ready_url, self.home / "run" / "logs" / f"{name}.log", env,
                           instance=instance)
        return Server(url, pid, processes.start_time(pid))
