"""The portal with its certificate helper for browser tests: the service mounted with the
pages calling a helper (szca-assistant) on a loopback port of its own, and that helper
reaching only the test's own virtual readers (of the test process's world)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from emulator.mock_providers.client import ProviderControl
from emulator.personas import Scenario, provider_records
from szca_unlock.assistant import AssistantConfig, create_assistant_app
from szca_unlock.config import ProviderEndpoints
from szca_unlock.ukey.pcsc import PcscDriver

from .clock import TestClock
from .databases import copy_database
from .service_host import ServiceHost, mounted_service

__all__ = ["Portal", "assistant_host", "portal"]


@dataclass
class Portal:
    base_url: str
    assistant: ServiceHost
    readers: list[str] = field(default_factory=list)

    @property
    def assistant_url(self) -> str:
        return self.assistant.base_url

    def start_assistant(self, *readers: str) -> None:
        """``szca-assistant`` for this portal, seeing only ``readers`` (and later
        ``use_readers``)."""
        self.readers[:] = list(readers)
        config = AssistantConfig(portal_origin=self.base_url, service_url=self.base_url,
                                 port=self.assistant.port)
        self.assistant.mount(create_assistant_app(
            config, lambda: PcscDriver(reader_names=lambda: list(self.readers))))

    def use_readers(self, *readers: str) -> None:
        self.readers[:] = list(readers)

    def stop_assistant(self) -> None:
        self.assistant.mount(None)


@pytest.fixture(scope="session")
def assistant_host() -> Iterator[ServiceHost]:
    """One loopback server per session for the helper; each test mounts its own."""
    with ServiceHost() as host:
        yield host


@pytest.fixture
def portal(tmp_path: Path, template_db: Path, scenario: Scenario, clock: TestClock,
           ukey_master_key: bytes, service_host: ServiceHost, assistant_host: ServiceHost,
           mock_provider_endpoints: ProviderEndpoints, mock_providers: ProviderControl,
           ) -> Iterator[Portal]:
    """A fresh service whose pages use the helper on ``assistant_host`` (not started until
    ``portal.start_assistant(reader)``: a test may check the missing-helper advice)."""
    database_url = copy_database(template_db, tmp_path / "service.db")
    mock_providers.seed(provider_records(scenario))
    with mounted_service(service_host, tmp_path, database_url, ukey_master_key,
                         mock_provider_endpoints, clock,
                         assistant_url=assistant_host.base_url) as base_url:
        portal = Portal(base_url, assistant_host)
        try:
            yield portal
        finally:
            portal.stop_assistant()
