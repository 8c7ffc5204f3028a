"""Fixtures of the provider-client unit tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses
from provider_stubs import DEPOSIT_BASE

from szca_unlock.config import ProviderEndpoints


@pytest.fixture
def endpoints() -> ProviderEndpoints:
    return ProviderEndpoints(
        tencent_endpoint="tencent.test:8401",
        deposit_base_url=DEPOSIT_BASE,
        timeout_s=1.0,
    )


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock
