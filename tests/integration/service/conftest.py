"""The service on a live loopback server, real provider clients over HTTP to the live
mock, the default personas, and (for the unlock tests) the pcscd + virtual card world.

Shared per session: the mock, the service server, the test CA, a migrated and seeded
template database (each test copies it), the card world.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from service_cards import LockedKey, make_in_process_key, make_locked_key, pull_out
from service_harness import NOW, Api, Clock
from service_server import ServiceServer

from emulator.mock_providers import fixtures as _mock_fixtures
from emulator.mock_providers.client import ProviderControl
from emulator.personas import Scenario, TestCA, load_scenario, provider_records, seed_database
from emulator.virtual_ukey.state import CardRepository
from emulator.virtual_ukey.world import VirtualUKeyWorld
from szca_unlock.config import ProviderEndpoints, Settings
from szca_unlock.providers import ProviderClients
from szca_unlock.service.app import create_app
from szca_unlock.store.database import Database
from szca_unlock.store.migrate import upgrade_to_head

ROOT = Path(__file__).resolve().parents[3]

# The live mock providers (the project plugin may register them too; same objects).
mock_providers_server = _mock_fixtures.mock_providers_server
mock_providers = _mock_fixtures.mock_providers
mock_provider_endpoints = _mock_fixtures.mock_provider_endpoints


@pytest.fixture(scope="session")
def master_key() -> bytes:
    return os.urandom(32)


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    return load_scenario(ROOT / "scenarios" / "default.yaml", today=NOW.date())


@pytest.fixture(scope="session")
def test_ca(tmp_path_factory: pytest.TempPathFactory) -> TestCA:
    return TestCA.load_or_create(tmp_path_factory.mktemp("ca") / "ca")


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory, scenario: Scenario,
                test_ca: TestCA) -> Path:
    path = tmp_path_factory.mktemp("service-template") / "template.db"
    upgrade_to_head(f"sqlite:///{path}")
    database = Database(f"sqlite:///{path}")
    seed_database(database, scenario, test_ca)
    database.dispose()
    return path


@pytest.fixture(scope="session")
def service_server() -> Iterator[ServiceServer]:
    with ServiceServer() as server:
        yield server


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(tmp_path: Path, template_db: Path, scenario: Scenario, clock: Clock,
            master_key: bytes, service_server: ServiceServer,
            mock_provider_endpoints: ProviderEndpoints, mock_providers: ProviderControl,
            ) -> Iterator[str]:
    """A fresh service (database copied from the template) mounted on the live server."""
    db_path = tmp_path / "service.db"
    shutil.copyfile(template_db, db_path)
    mock_providers.seed(provider_records(scenario))
    settings = Settings(home=tmp_path, database_url=f"sqlite:///{db_path}",
                        unlock_master_key_hex=master_key.hex(),
                        providers=mock_provider_endpoints)
    app = create_app(settings, ProviderClients.from_endpoints(mock_provider_endpoints), clock)
    service_server.dispatch.app = app
    yield service_server.base_url
    service_server.dispatch.app = None
    app.state.ctx.db.dispose()


@pytest.fixture
def api_factory(service: str, mock_providers: ProviderControl) -> Iterator[Callable[[], Api]]:
    made: list[Api] = []

    def make() -> Api:
        made.append(Api(service, mock_providers))
        return made[-1]

    yield make
    for api in made:
        api.client.close()


@pytest.fixture
def api(api_factory: Callable[[], Api]) -> Api:
    return api_factory()


@pytest.fixture(scope="session")
def ukey_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtualUKeyWorld]:
    """pcscd with virtual readers, shared by the session (skipped without pcscd)."""
    if shutil.which("pcscd") is None:
        pytest.skip("pcscd is not installed (scripts/install-system-deps.sh)")
    with VirtualUKeyWorld(home=tmp_path_factory.mktemp("ukey")) as world:
        yield world


@pytest.fixture
def locked_key(tmp_path: Path, test_ca: TestCA, scenario: Scenario,
               master_key: bytes) -> Callable[[str], LockedKey]:
    """``locked_key("org")``: the persona certificate's virtual U-KEY, PIN blocked (6983),
    its card OS reached in-process."""
    repo = CardRepository(tmp_path / "cards")
    return lambda persona_key: make_in_process_key(
        repo, test_ca, scenario.certificate(persona_key), master_key)


@pytest.fixture
def pcsc_locked_key(ukey_world: VirtualUKeyWorld, test_ca: TestCA, scenario: Scenario,
                    master_key: bytes) -> Iterator[Callable[[str], LockedKey]]:
    """The same, inserted in a virtual reader of the pcscd + vpcd world."""
    made: list[LockedKey] = []

    def make(persona_key: str) -> LockedKey:
        made.append(make_locked_key(ukey_world, test_ca, scenario.certificate(persona_key),
                                    master_key))
        return made[-1]

    yield make
    for key in made:
        pull_out(ukey_world, key)
