"""pytest fixtures of the emulated world around the service (gathered by the project
plugin, emulator/pytest_plugin.py; docs/testing.md says how to use them).

Per session: the default cast (``scenario``), the test CA, a migrated template database and
one seeded with the cast, the loopback ``service_host``. Per test: a fixed ``clock``, the
``service`` (a copy of the seeded template mounted on the host; its base URL), logged-out
``api`` sessions, and locked virtual U-KEYs for the cast's certificates (``locked_key``
in-process, ``pcsc_locked_key`` in the pcscd + vpcd readers of ``ukey_world``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from emulator.mock_providers.client import ProviderControl
from emulator.personas import Scenario, TestCA, load_scenario, provider_records
from emulator.scenarios import DEFAULT_SCENARIO
from emulator.virtual_ukey.state import CardRepository
from emulator.virtual_ukey.world import VirtualUKeyWorld
from szca_unlock.config import ProviderEndpoints

from .api import Api
from .clock import NOW, TestClock
from .databases import copy_database, migrated_template, seeded_copy
from .keys import InProcessKey, ReaderKey, lock_in_process, lock_in_reader
from .service_host import ServiceHost, mounted_service

__all__ = [
    "api",
    "api_factory",
    "clock",
    "locked_key",
    "migrated_template_db",
    "pcsc_locked_key",
    "scenario",
    "service",
    "service_host",
    "template_db",
    "test_ca",
]


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    """The shipped ``default`` cast (emulator/scenarios/default.yaml), its dates relative
    to the fixed ``NOW``."""
    return load_scenario(DEFAULT_SCENARIO, today=NOW.date())


@pytest.fixture(scope="session")
def test_ca(tmp_path_factory: pytest.TempPathFactory) -> TestCA:
    return TestCA.load_or_create(tmp_path_factory.mktemp("ca") / "ca")


@pytest.fixture(scope="session")
def migrated_template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every migration applied, no data; copy it (``copy_database``) and seed your own cast."""
    return migrated_template(tmp_path_factory.mktemp("db-template") / "migrated.db")


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory, migrated_template_db: Path,
                scenario: Scenario, test_ca: TestCA, ukey_master_key: bytes) -> Path:
    """The migrated template seeded with ``scenario``; ``service`` copies it per test."""
    return seeded_copy(migrated_template_db, tmp_path_factory.mktemp("db-seeded") / "seeded.db",
                       scenario, test_ca, master_key=ukey_master_key)


@pytest.fixture(scope="session")
def service_host() -> Iterator[ServiceHost]:
    with ServiceHost() as host:
        yield host


@pytest.fixture
def clock() -> TestClock:
    """The service's clock, standing at ``NOW`` until the test moves it."""
    return TestClock(NOW)


@pytest.fixture
def service(tmp_path: Path, template_db: Path, scenario: Scenario, clock: TestClock,
            ukey_master_key: bytes, service_host: ServiceHost,
            mock_provider_endpoints: ProviderEndpoints, mock_providers: ProviderControl,
            ) -> Iterator[str]:
    """A fresh service (database copied from the template) on the host; its base URL."""
    database_url = copy_database(template_db, tmp_path / "service.db")
    mock_providers.seed(provider_records(scenario))
    with mounted_service(service_host, tmp_path, database_url, ukey_master_key,
                         mock_provider_endpoints, clock) as base_url:
        yield base_url


@pytest.fixture
def api_factory(service: str, mock_providers: ProviderControl) -> Iterator[Callable[[], Api]]:
    """``api_factory()``: one more browser session (another user at the same time)."""
    made: list[Api] = []

    def make() -> Api:
        made.append(Api(service, mock_providers))
        return made[-1]

    yield make
    for api in made:
        api.close()


@pytest.fixture
def api(api_factory: Callable[[], Api]) -> Api:
    return api_factory()


@pytest.fixture
def locked_key(tmp_path: Path, test_ca: TestCA, scenario: Scenario,
               ukey_master_key: bytes) -> Callable[[str], InProcessKey]:
    """``locked_key("org")``: that certificate's U-KEY, PIN blocked, reached in-process."""
    repo = CardRepository(tmp_path / "cards")
    return lambda persona_key: lock_in_process(repo, test_ca, scenario.certificate(persona_key),
                                               ukey_master_key)


@pytest.fixture
def pcsc_locked_key(ukey_world: VirtualUKeyWorld, test_ca: TestCA, scenario: Scenario,
                    ukey_master_key: bytes) -> Iterator[Callable[[str], ReaderKey]]:
    """The same, inserted in a virtual reader of the pcscd + vpcd world; discarded after."""
    made: list[ReaderKey] = []

    def make(persona_key: str) -> ReaderKey:
        made.append(lock_in_reader(ukey_world, test_ca, scenario.certificate(persona_key),
                                   ukey_master_key))
        return made[-1]

    yield make
    for key in made:
        key.discard()
