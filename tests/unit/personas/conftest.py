from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator.personas import Scenario, TestCA, load_scenario
from emulator.scenarios import DEFAULT_SCENARIO
from szca_unlock.store import Database, upgrade_to_head


@pytest.fixture(scope="session")
def default_scenario() -> Scenario:
    return load_scenario(DEFAULT_SCENARIO)


@pytest.fixture(scope="session")
def test_ca(tmp_path_factory: pytest.TempPathFactory) -> TestCA:
    return TestCA.load_or_create(tmp_path_factory.mktemp("pki") / "ca")


@pytest.fixture
def persona_db(tmp_path: Path) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'szca.db'}"
    upgrade_to_head(url)
    db = Database(url, master_key=bytes(range(32)))
    yield db
    db.dispose()
