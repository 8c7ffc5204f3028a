"""pytest options and fixtures of the BDD suite.

In-process (default): a loopback service with a fresh database, fresh cast and fresh rate
limits for every scenario, the live mock providers (reset per scenario), the pcscd + vpcd card
world. Against a deployment (``--base-url``): that service and its seeded cast
(``--bdd-scenario``), its providers' control API (``--providers-url``), cards made locally with
its master key (``SZCA_UNLOCK_MASTER_KEY``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from emulator.mock_providers.client import ProviderControl
from emulator.personas import TestCA, provider_records, seed_database
from emulator.virtual_ukey.world import VirtualUKeyWorld
from szca_unlock.config import ProviderEndpoints, Settings
from szca_unlock.providers import ProviderClients
from szca_unlock.service.app import create_app
from szca_unlock.store.database import Database
from szca_unlock.store.migrate import upgrade_to_head

from .personas import deployed_scenario, fresh_scenario
from .service_host import OffsetClock, ServiceHost
from .world import BddWorld

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("szca-bdd", "szca BDD features")
    group.addoption("--base-url", default=None, metavar="URL",
                    help="run the features against this running service instead of in-process")
    group.addoption("--providers-url", default=None, metavar="URL",
                    help="the mock providers' base URL (control API under /_control); "
                         "required with --base-url")
    group.addoption("--bdd-scenario", default=str(PROJECT_ROOT / "scenarios" / "default.yaml"),
                    metavar="YAML", help="the cast the deployment was seeded with")


@dataclass(frozen=True)
class BddMode:
    base_url: str | None
    providers_url: str | None
    scenario_path: Path

    @property
    def deployed(self) -> bool:
        return self.base_url is not None


@pytest.fixture(scope="session")
def bdd_mode(pytestconfig: pytest.Config) -> BddMode:
    base_url = pytestconfig.getoption("--base-url")
    providers_url = pytestconfig.getoption("--providers-url")
    if base_url and not providers_url:
        raise pytest.UsageError("--base-url needs --providers-url (the mock providers' URL)")
    return BddMode(base_url, providers_url, Path(pytestconfig.getoption("--bdd-scenario")))


@pytest.fixture(scope="session")
def bdd_master_key(bdd_mode: BddMode) -> bytes:
    if not bdd_mode.deployed:
        return os.urandom(32)
    raw = os.environ.get("SZCA_UNLOCK_MASTER_KEY", "")
    if len(raw) != 64:
        raise pytest.UsageError("--base-url: set SZCA_UNLOCK_MASTER_KEY to the deployment's "
                                "master key (64 hex digits) so local U-KEYs accept its unlocks")
    return bytes.fromhex(raw)


@pytest.fixture(scope="session")
def bdd_test_ca(tmp_path_factory: pytest.TempPathFactory) -> TestCA:
    return TestCA.load_or_create(tmp_path_factory.mktemp("bdd-ca") / "ca")


@pytest.fixture(scope="session")
def bdd_ukey_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtualUKeyWorld]:
    if shutil.which("pcscd") is None:
        pytest.skip("pcscd is not installed (scripts/install-system-deps.sh)")
    with VirtualUKeyWorld(home=tmp_path_factory.mktemp("bdd-ukey")) as world:
        yield world


@pytest.fixture(scope="session")
def bdd_template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty database; each scenario copies it (a migration per scenario is slow)."""
    path = tmp_path_factory.mktemp("bdd-db") / "template.db"
    upgrade_to_head(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def bdd_service_host() -> Iterator[ServiceHost]:
    with ServiceHost() as host:
        yield host


def _in_process_world(request: pytest.FixtureRequest, tmp_path: Path, master_key: bytes,
                      ca: TestCA, ukeys: VirtualUKeyWorld) -> Iterator[BddWorld]:
    control: ProviderControl = request.getfixturevalue("mock_providers")
    endpoints: ProviderEndpoints = request.getfixturevalue("mock_provider_endpoints")
    host: ServiceHost = request.getfixturevalue("bdd_service_host")
    scenario = fresh_scenario()
    db_path = tmp_path / "service.db"
    shutil.copyfile(request.getfixturevalue("bdd_template_db"), db_path)
    database = Database(f"sqlite:///{db_path}")
    seed_database(database, scenario, ca)
    database.dispose()
    control.seed(provider_records(scenario))
    clock = OffsetClock()
    settings = Settings(home=tmp_path, database_url=f"sqlite:///{db_path}",
                        unlock_master_key_hex=master_key.hex(), providers=endpoints)
    app = create_app(settings, ProviderClients.from_endpoints(endpoints), clock)
    host.mount(app)
    world = BddWorld(scenario, host.base_url, control, ukeys, ca, master_key, clock)
    try:
        yield world
    finally:
        world.close()
        host.mount(None)
        app.state.ctx.db.dispose()


@pytest.fixture
def bdd_world(request: pytest.FixtureRequest, bdd_mode: BddMode, tmp_path: Path,
              bdd_master_key: bytes, bdd_test_ca: TestCA,
              bdd_ukey_world: VirtualUKeyWorld) -> Iterator[BddWorld]:
    if not bdd_mode.deployed:
        yield from _in_process_world(request, tmp_path, bdd_master_key, bdd_test_ca,
                                     bdd_ukey_world)
        return
    assert bdd_mode.base_url and bdd_mode.providers_url
    control = ProviderControl(bdd_mode.providers_url)
    world = BddWorld(deployed_scenario(bdd_mode.scenario_path), bdd_mode.base_url, control,
                     bdd_ukey_world, bdd_test_ca, bdd_master_key, clock=None)
    world.mark()
    try:
        yield world
    finally:
        world.close()
        control.close()
