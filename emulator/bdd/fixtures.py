"""pytest options and fixtures of the BDD suite, on the project plugin's world fixtures
(emulator/testing: ``service_host``, ``migrated_template_db``, ``test_ca``, ``ukey_world``,
the mock providers).

Every scenario gets a fresh cast (``emulator.bdd.personas.fresh_scenario``) and speaks from an
address of its own. In-process (default): a loopback service with a fresh database seeded with
the cast and fresh rate limits, the live mock providers (reset per scenario), the pcscd + vpcd
card world. Against a deployment (``--base-url`` or ``--world-home``): that service, the cast
registered in its database and seeded into its providers through their control API
(``emulator.bdd.cast``), cards made locally with its master key.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from emulator.mock_providers.client import ProviderControl
from emulator.personas import TestCA, provider_records
from emulator.testing.clock import TestClock
from emulator.testing.databases import seeded_copy, sqlite_url
from emulator.testing.service_host import ServiceHost, mounted_service
from emulator.virtual_ukey.world import VirtualUKeyWorld
from emulator.world_builder import database_url_of
from szca_unlock.config import ProviderEndpoints

from .cast import client_address, register_cast
from .personas import fresh_scenario
from .world import BddWorld


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("szca-bdd", "szca BDD features")
    # --base-url itself is pytest-base-url's (the option browser tests read too): one
    # flag names the deployment for the API steps and for Playwright's pages.
    group.addoption("--providers-url", default=None, metavar="URL",
                    help="the mock providers' base URL (control API under /_control); "
                         "required with --base-url")
    group.addoption("--world-home", default=None, metavar="DIR",
                    help="run the features against the `szca-emulator up` world of this "
                         "SZCA_HOME: --base-url, --providers-url and the master key are read "
                         "from it")


@dataclass(frozen=True)
class BddMode:
    base_url: str | None
    providers_url: str | None
    # Where the deployment keeps its registry of certificates, U-KEYs and staff: each
    # scenario's cast is registered there.
    database_url: str | None = None
    master_key_hex: str = ""  # the deployment's, when read from its home

    @property
    def deployed(self) -> bool:
        return self.base_url is not None


@pytest.fixture(scope="session")
def bdd_mode(pytestconfig: pytest.Config) -> BddMode:
    base_url = pytestconfig.getoption("base_url") or None  # pytest-base-url: "" when unset
    providers_url = pytestconfig.getoption("--providers-url")
    world_home = pytestconfig.getoption("--world-home")
    if world_home:
        return _mode_from_home(Path(world_home))
    if not base_url:
        return BddMode(None, None)
    if not providers_url:
        raise pytest.UsageError("--base-url needs --providers-url (the mock providers' URL)")
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        raise pytest.UsageError("--base-url: set DATABASE_URL to the deployment's database, "
                                "where each scenario registers its own cast")
    return BddMode(base_url, providers_url, database_url)


def _mode_from_home(home: Path) -> BddMode:
    """The URLs `szca-emulator up` recorded in the home (it picks free ports), its key."""
    try:
        record = json.loads((home / "run" / "stack.json").read_text())
    except (OSError, ValueError) as exc:
        raise pytest.UsageError(f"--world-home {home}: no running world there "
                                f"(szca-emulator up --detach first): {exc}") from None
    key_file = home / "master.key"
    master_key = (os.environ.get("SZCA_UNLOCK_MASTER_KEY")
                  or (key_file.read_text().strip() if key_file.exists() else ""))
    return BddMode(record["service_url"], record["providers_url"], database_url_of(home),
                   master_key)


@pytest.fixture(scope="session")
def ukey_master_key(bdd_mode: BddMode) -> bytes:
    """The plugin's master key, except against a deployment: then the deployment's, so
    that local U-KEYs accept its unlocks."""
    if not bdd_mode.deployed:
        return os.urandom(32)
    raw = bdd_mode.master_key_hex or os.environ.get("SZCA_UNLOCK_MASTER_KEY", "")
    if len(raw) != 64:
        raise pytest.UsageError("--base-url: set SZCA_UNLOCK_MASTER_KEY to the deployment's "
                                "master key (64 hex digits) so local U-KEYs accept its unlocks")
    return bytes.fromhex(raw)


def _in_process_world(request: pytest.FixtureRequest, tmp_path: Path, master_key: bytes,
                      ca: TestCA, ukeys: VirtualUKeyWorld) -> Iterator[BddWorld]:
    control: ProviderControl = request.getfixturevalue("mock_providers")
    endpoints: ProviderEndpoints = request.getfixturevalue("mock_provider_endpoints")
    host: ServiceHost = request.getfixturevalue("service_host")
    # The pages' 立即解锁 calls this helper (mounted by the browser driver when it drives).
    assistant: ServiceHost = request.getfixturevalue("assistant_host")
    scenario = fresh_scenario()
    db_path = seeded_copy(request.getfixturevalue("migrated_template_db"),
                          tmp_path / "service.db", scenario, ca, master_key=master_key)
    control.seed(provider_records(scenario))
    clock = TestClock()  # real time: the features compare dates with today
    with mounted_service(host, tmp_path, sqlite_url(db_path), master_key, endpoints,
                         clock, assistant_url=assistant.base_url) as base_url:
        world = BddWorld(scenario, base_url, control, ukeys, ca, master_key, clock,
                         client_address(scenario.seed))
        try:
            yield world
        finally:
            world.close()


@pytest.fixture
def bdd_world(request: pytest.FixtureRequest, bdd_mode: BddMode, tmp_path: Path,
              ukey_master_key: bytes, test_ca: TestCA,
              ukey_world: VirtualUKeyWorld) -> Iterator[BddWorld]:
    if not bdd_mode.deployed:
        yield from _in_process_world(request, tmp_path, ukey_master_key, test_ca, ukey_world)
        return
    assert bdd_mode.base_url and bdd_mode.providers_url and bdd_mode.database_url
    control = ProviderControl(bdd_mode.providers_url)
    scenario = fresh_scenario()
    register_cast(bdd_mode.database_url, ukey_master_key, control, scenario, test_ca)
    world = BddWorld(scenario, bdd_mode.base_url, control, ukey_world, test_ca,
                     ukey_master_key, clock=None, client_address=client_address(scenario.seed))
    world.mark()
    try:
        yield world
    finally:
        world.close()
        control.close()
