"""The service in-process (TestClient) with real provider clients over HTTP to the live mock.

The schema is migrated once per session into a template file that each test copies.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from service_harness import Api, Clock
from service_world import World, build_world, seed_world

from emulator.mock_providers import fixtures as _mock_fixtures
from emulator.mock_providers.client import ProviderControl
from szca_unlock.config import ProviderEndpoints, Settings
from szca_unlock.providers import ProviderClients
from szca_unlock.service.app import create_app
from szca_unlock.store.database import Database
from szca_unlock.store.migrate import upgrade_to_head

MASTER_KEY_HEX = "5a" * 32

# The live mock providers (the project plugin may register them too; same objects).
mock_providers_server = _mock_fixtures.mock_providers_server
mock_providers = _mock_fixtures.mock_providers
mock_provider_endpoints = _mock_fixtures.mock_provider_endpoints


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("service-template") / "template.db"
    upgrade_to_head(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def world() -> World:
    return build_world()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(
        tmp_path: Path, template_db: Path, world: World, clock: Clock,
            mock_provider_endpoints: ProviderEndpoints, mock_providers: ProviderControl,
            ) -> Iterator[TestClient]:
    db_path = tmp_path / "service.db"
    shutil.copyfile(template_db, db_path)
    url = f"sqlite:///{db_path}"
    database = Database(url)
    with database.session() as session:
        seed_world(session, world)
    database.dispose()
    mock_providers.seed(world.provider_records())
    settings = Settings(home=tmp_path, database_url=url, unlock_master_key_hex=MASTER_KEY_HEX,
                        providers=mock_provider_endpoints)
    app = create_app(settings, ProviderClients.from_endpoints(mock_provider_endpoints), clock)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def api_factory(service: TestClient,
                mock_providers: ProviderControl) -> Callable[[], Api]:
    return lambda: Api(service, mock_providers)


@pytest.fixture
def api(api_factory: Callable[[], Api]) -> Api:
    return api_factory()
