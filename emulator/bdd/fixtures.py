"""pytest options and fixtures of the BDD suite, on the project plugin's world fixtures
(emulator/testing: ``service_host``, ``migrated_template_db``, ``test_ca``, ``ukey_world``,
the mock providers).

In-process (default): a loopback service with a fresh database, fresh cast and fresh rate
limits for every scenario, the live mock providers (reset per scenario), the pcscd + vpcd card
world. Against a deployment (``--base-url``): that service and its seeded cast
(``--bdd-scenario``), its providers' control API (``--providers-url``), cards made locally with
its master key (``SZCA_UNLOCK_MASTER_KEY``).
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
from emulator.scenarios import DEFAULT_SCENARIO
from emulator.testing.clock import TestClock
from emulator.testing.databases import seeded_copy, sqlite_url
from emulator.testing.service_host import ServiceHost, mounted_service
from emulator.virtual_ukey.world import VirtualUKeyWorld
from szca_unlock.config import ProviderEndpoints

from .personas import deployed_scenario, fresh_scenario
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
    group.addoption("--bdd-scenario", default=str(DEFAULT_SCENARIO),
                    metavar="YAML", help="the cast the deployment was seeded with")


@dataclass(frozen=True)
class BddMode:
    base_url: str | None
    providers_url: str | None
    scenario_path: Path
    master_key_hex: str = ""  # the deployment's, when read from its home

    @property
    def deployed(self) -> bool:
        return self.base_url is not None


@pytest.fixture(scope="session")
def bdd_mode(pytestconfig: pytest.Config) -> BddMode:
    base_url = pytestconfig.getoption("base_url") or None  # pytest-base-url: "" when unset
    providers_url = pytestconfig.getoption("--providers-url")
    scenario_path = Path(pytestconfig.getoption("--bdd-scenario"))
    world_home = pytestconfig.getoption("--world-home")
    if world_home:
        return _mode_from_home(Path(world_home), scenario_path)
    if base_url and not providers_url:
        raise pytest.UsageError("--base-url needs --providers-url (the mock providers' URL)")
    return BddMode(base_url, providers_url, scenario_path)


def _mode_from_home(home: Path, scenario_path: Path) -> BddMode:
    """The URLs `szca-emulator up` recorded in the home (it picks free ports), its key."""
    try:
        record = json.loads((home / "run" / "stack.json").read_text())
    except (OSError, ValueError) as exc:
        raise pytest.UsageError(f"--world-home {home}: no running world there "
                                f"(szca-emulator up --detach first): {exc}") from None
    key_file = home / "master.key"
    master_key = (os.environ.get("SZCA_UNLOCK_MASTER_KEY")
                  or (key_file.read_text().strip() if key_file.exists() else ""))
    return BddMode(record["service_url"], record["providers_url"], scenario_path, master_key)


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
    scenario = fresh_scenario()
    db_path = seeded_copy(request.getfixturevalue("migrated_template_db"),
                          tmp_path / "service.db", scenario, ca, master_key=master_key)
    control.seed(provider_records(scenario))
    clock = TestClock()  # real time: the features compare dates with today
    with mounted_service(host, tmp_path, sqlite_url(db_path), master_key, endpoints,
                         clock) as base_url:
        world = BddWorld(scenario, base_url, control, ukeys, ca, master_key, clock)
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
    assert bdd_mode.base_url and bdd_mode.providers_url
    control = ProviderControl(bdd_mode.providers_url)
    world = BddWorld(deployed_scenario(bdd_mode.scenario_path), bdd_mode.base_url, control,
                     ukey_world, test_ca, ukey_master_key, clock=None)
    world.mark()
    try:
        yield world
    finally:
        world.close()
        control.close()
