"""An in-process service on a fresh SQLite file, a movable clock and a recording SMS outbox.

Unit tests of the service framework only; the flows run against the real mock
providers in tests/integration/service/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from szca_unlock.config import Settings
from szca_unlock.service.app import create_app


class MovableClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@dataclass
class RecordingSms:
    """Stands in for the SMS provider in framework tests: keeps what would be sent."""

    sent: list[tuple[str, str, list[str]]] = field(default_factory=list)

    def send(self, mobile: str, template: object, params: list[str]) -> None:
        self.sent.append((mobile, str(template), list(params)))

    def last_code(self, mobile: str) -> str:
        for to, _, params in reversed(self.sent):
            if to == mobile:
                assert re.fullmatch(r"\d{6}", params[0])
                return params[0]
        raise AssertionError(f"no SMS to {mobile}")


@dataclass
class FakeProviders:
    sms: RecordingSms = field(default_factory=RecordingSms)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def providers() -> FakeProviders:
    return FakeProviders()


@pytest.fixture
def client(tmp_path: Path, clock: MovableClock, providers: FakeProviders
           ) -> Iterator[TestClient]:
    settings = Settings(home=tmp_path, database_url=f"sqlite:///{tmp_path / 'svc.db'}",
                        unlock_master_key_hex="11" * 32)
    app = create_app(settings, providers=providers, clock=clock)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
