"""The emulated world a load run needs, on loopback: the population (generated once and
saved for every Locust process), then the world assembled as every emulated world is
(emulator.world_builder: test CA, database migrated and seeded, mock providers seeded with
the personas' records, the service) — each server in its own process so the load
generator, the mock and the service do not share a GIL."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from emulator.master_key import MasterKey
from emulator.mock_providers.client import ProviderControl
from emulator.mock_providers.server import free_port
from emulator.personas.bulk import BulkSettings
from emulator.personas.loader import provider_records
from emulator.stack import Stack, StackConfig
from emulator.virtual_ukey import pcsc, processes
from emulator.virtual_ukey.world import VirtualUKeyWorld
from emulator.world_builder import WorldBuilder
from load.manifest import WorldManifest
from load.population import LoadPopulation, build_population, save_population
from load.reader_cards import ReaderCards
from szca_unlock.logsetup import get_logger
from szca_unlock.store import StaffRole
from szca_unlock.store.passwords import hash_password
from szca_unlock.store.repo_access import upsert_staff_user

log = get_logger("load.world")
# The service under the uvicorn settings the benchmark also gives its baseline app.
SERVICE = ("-m", "load.serve", "--app", "service")
STAFF = tuple(f"loadreviewer{i}" for i in range(1, 33))  # CA reviewers of the load world


@dataclass(frozen=True)
class WorldOptions:
    directory: Path
    population: BulkSettings
    database_url: str = ""  # empty: SQLite in ``directory``; else e.g. postgresql+psycopg://
    master_key: MasterKey | None = None  # None: a random one for this run
    card_readers: bool = False  # also join (or start) pcscd + vpcd for real reader cards
    host: str = "127.0.0.1"  # where the mock and the service listen (another: remote workers)
    trusted_proxies: str = ""  # SZCA_TRUSTED_PROXIES of the service: the load machines


def stop_process(process: subprocess.Popen[bytes], timeout_s: float = 10.0) -> None:
    """Stop a Locust process this module's runner started."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def seed_population(builder: WorldBuilder, settings: BulkSettings, directory: Path,
                    staff_password: str) -> tuple[LoadPopulation, Path]:
    """The population under the world's test CA, saved in ``directory`` for the Locust
    processes, its certificates and the load reviewers in the world's database."""
    started = time.monotonic()
    ca = builder.test_ca()
    population = build_population(settings, ca)
    path = directory / "population.pickle"
    save_population(population, path)
    with builder.database() as database:
        builder.seed(database, population.scenario, ca, population.ders)
        password_hash = hash_password(staff_password)  # one hash for all reviewers
        with database.session() as session:
            for username in STAFF:
                upsert_staff_user(session, username, password_hash,
                                  display_name=f"负载测试审核员{username[12:]}",
                                  role=StaffRole.REVIEWER)
    log.info("population of %d certificates ready in %.1f s",
             len(population.scenario.certificates), time.monotonic() - started)
    return population, path


class LoadWorld:
    """``with LoadWorld(options) as world: world.manifest_path`` — everything running."""

    def __init__(self, options: WorldOptions) -> None:
        self.options = options
        self.directory = options.directory
        self.master_key = options.master_key or MasterKey.generate()
        self.staff_password = f"Load-{os.urandom(6).hex()}"
        self.builder = WorldBuilder(self.directory, self.master_key,
                                    database_url=options.database_url
                                    or f"sqlite:///{self.directory / 'szca.db'}",
                                    host=options.host)
        self._pids: list[int] = []
        self._readers: VirtualUKeyWorld | None = None
        self.manifest_path = self.directory / "world.json"
        self.population: LoadPopulation | None = None

    @property
    def database_url(self) -> str:
        return self.builder.database_url

    def _prepare(self) -> tuple[LoadPopulation, Path, Path]:
        """The population (saved for the Locust processes), the seeded database and the
        providers' records."""
        population, path = seed_population(self.builder, self.options.population,
                                           self.directory, self.staff_password)
        return population, path, self.builder.provider_records(population.scenario)

    def start(self) -> LoadWorld:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.population, population_path, records = self._prepare()
        mock = self.builder.start_providers(free_port(), records, log_level="warning")
        self._pids.append(mock.pid)
        proxies = ({"SZCA_TRUSTED_PROXIES": self.options.trusted_proxies}
                   if self.options.trusted_proxies else {})
        service = self.builder.start_service(free_port(), mock.url, command=SERVICE,
                                             env=proxies)
        self._pids.append(service.pid)
        ukey_home = self._start_readers() if self.options.card_readers else ""
        WorldManifest(service.url, mock.url, self.master_key.hex, str(population_path),
                      service.pid, STAFF, self.staff_password, str(self.directory / "ca"),
                      ukey_home).write(self.manifest_path)
        return self

    def _start_readers(self) -> str:
        """This world's own pcscd with the virtual readers (in ``directory/ukey``)."""
        if shutil.which("pcscd") is None:
            raise RuntimeError("pcscd is not installed (scripts/install-system-deps.sh)")
        home = self.directory / "ukey"
        self._readers = VirtualUKeyWorld(home=home)
        names = self._readers.start()
        log.info("card reader world joined: %d virtual readers", len(names))
        return str(home)

    def pcsc_env(self) -> dict[str, str]:
        """The environment that points a PC/SC client (the Locust users' agent) at this
        world's readers; empty when the world runs none."""
        if self._readers is None:
            return {}
        return {pcsc.CSOCK_ENV: str(self._readers.socket)}

    @property
    def manifest(self) -> WorldManifest:
        return WorldManifest.read(self.manifest_path)

    def stop(self) -> None:
        for pid in reversed(self._pids):
            processes.stop(pid)
        self._pids.clear()
        if self._readers is not None:
            # Cards a cut-short visit left in readers, then leave (the last holder stops pcscd).
            ReaderCards(self._readers.repo.home, self.builder.test_ca(),
                        self.master_key.value).discard_all()
            self._readers.stop()
            self._readers = None

    def __enter__(self) -> LoadWorld:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


class NoRunningWorld(RuntimeError):
    """``--home`` names a home where no world runs."""


class RunningWorld:
    """A world ``szca-emulator up`` already runs in ``home``: the load population joins it
    through the world's own interfaces — its database (the home's URL and master key, as
    its service has them) and its mock providers' control API — and the world is left
    running afterwards. Same face as ``LoadWorld`` for the runner."""

    def __init__(self, home: Path, directory: Path, population: BulkSettings) -> None:
        record = Stack(StackConfig(home=home)).running_record()
        if record is None:
            raise NoRunningWorld(f"no world is running in {home}: start it with "
                               f"szca-emulator --home {home} up --detach")
        self.record = record
        self.directory = directory
        self.settings = population
        self.master_key = MasterKey.of_home(home)
        self.builder = WorldBuilder(home, self.master_key)
        self.staff_password = f"Load-{os.urandom(6).hex()}"
        self.manifest_path = directory / "world.json"
        self.population: LoadPopulation | None = None

    def start(self) -> RunningWorld:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.population, path = seed_population(self.builder, self.settings, self.directory,
                                                self.staff_password)
        control = ProviderControl(self.record.providers_url, timeout_s=120)
        try:
            control.seed(provider_records(self.population.scenario))
        finally:
            control.close()
        WorldManifest(self.record.service_url, self.record.providers_url,
                      self.master_key.hex, str(path), self.record.service_pid or 0, STAFF,
                      self.staff_password, str(self.builder.home / "ca")
                      ).write(self.manifest_path)
        self.manifest_path.chmod(0o600)  # the world's master key
        return self

    @property
    def manifest(self) -> WorldManifest:
        return WorldManifest.read(self.manifest_path)

    def pcsc_env(self) -> dict[str, str]:
        return {}  # the in-process cards; the world's readers stay its own

    def __enter__(self) -> RunningWorld:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        """The world is not ours: it keeps running."""


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a running process and its running descendants (e.g. the
    service's render pool) have used so far (Linux ``/proc``)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(_stat(int(entry.name))[1])
            except (OSError, IndexError, ValueError):
                continue  # ended meanwhile
    tree, grew = {pid}, True
    while grew:
        more = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    ticks = 0
    for member in tree:
        try:
            fields = _stat(member)
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    """Resident memory of a process (Linux ``/proc``), KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")
