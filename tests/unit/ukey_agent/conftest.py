"""Fixtures of the agent unit tests: a model card in one fake reader."""

from __future__ import annotations

import pytest
from agent_fake_card import FakeCard

from szca_unlock.ukey.pcsc import PcscDriver


@pytest.fixture
def card() -> FakeCard:
    return FakeCard()


@pytest.fixture
def driver(card: FakeCard) -> PcscDriver:
    return PcscDriver(reader_names=lambda: ["Virtual PCD 00 00"], connect=lambda _: card)
