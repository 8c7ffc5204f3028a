"""The service on PostgreSQL, end to end: a PER-RT unlock (login, agreements, lookup,
实时解锁, carrier check through the live mock, 立即解锁 through the agent) and two logins
racing to open an order on the same certificate.

Runs when ``SZCA_TEST_DATABASE_URL`` names a PostgreSQL server (``tox -e postgres``);
the database of each test is created, migrated and seeded from scratch, then dropped.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import select

from emulator.mock_providers.client import ProviderControl
from emulator.personas import Scenario, provider_records
from emulator.testing.api import Api, Flows, unlock_with_agent
from emulator.testing.clock import TestClock
from emulator.testing.keys import NEW_PIN, VirtualKey
from emulator.testing.service_host import ServiceHost, mounted_service
from szca_unlock.config import ProviderEndpoints
from szca_unlock.store import Database
from szca_unlock.store.models import OrderRow

# The marker is only looked up when it is used (registered in pyproject / store conftest).
pytestmark = (pytest.mark.postgres if os.environ.get("SZCA_TEST_DATABASE_URL")
              else pytest.mark.skip(reason="SZCA_TEST_DATABASE_URL is not set"))


@pytest.fixture
def pg_service(pg_url: str, tmp_path: Path, scenario: Scenario, clock: TestClock,
               ukey_master_key: bytes, service_host: ServiceHost,
               mock_provider_endpoints: ProviderEndpoints, mock_providers: ProviderControl,
               ) -> Iterator[str]:
    mock_providers.seed(provider_records(scenario))
    with mounted_service(service_host, tmp_path, pg_url, ukey_master_key,
                         mock_provider_endpoints, clock) as base_url:
        yield base_url


def test_personal_realtime_unlock_on_postgres(pg_service: str, pg_url: str,
                                              mock_providers: ProviderControl,
                                              scenario: Scenario, ukey_master_key: bytes,
                                              locked_key: Callable[[str], VirtualKey]) -> None:
    persona, holder = scenario.certificate("natural"), scenario.people["citizen"]
    key = locked_key("natural")
    api = Api(pg_service, mock_providers)
    api.login(holder.mobile)
    flows = Flows(api)
    order_no = flows.open(persona.serial_hex)
    assert flows.verify(order_no, "identity", "carrier", holder)["state"] == "verified"
    assert unlock_with_agent(api, order_no, key) == "completed"
    key.assert_unlocked_with(NEW_PIN, persona.serial_hex)
    assert [o["order_no"] for o in api.ok("GET", "/orders")["orders"]] == [order_no]
    api.close()

    # The row really is in PostgreSQL, times aware UTC.
    database = Database(pg_url, master_key=ukey_master_key)
    with database.session(readonly=True) as s:
        row = s.scalars(select(OrderRow).where(OrderRow.order_no == order_no)).one()
        assert row.state.value == "completed"
        assert row.updated_at.tzinfo is UTC and row.updated_at >= row.created_at
    database.dispose()


def test_two_logins_racing_to_open_one_certificate(pg_service: str, clock: TestClock,
                                                   mock_providers: ProviderControl,
                                                   scenario: Scenario) -> None:
    """Same certificate, two devices of the holder at once: one order, one 409."""
    persona, holder = scenario.certificate("natural"), scenario.people["citizen"]
    apis = [Api(pg_service, mock_providers) for _ in range(2)]
    for api in apis:
        api.login(holder.mobile)
        clock.advance(seconds=61)  # the SMS resend interval

    def open_order(api: Api) -> int:
        return int(api.call("POST", "/orders", json={"certificate_serial": persona.serial_hex,
                                                     "mode": "realtime"}).status_code)

    with ThreadPoolExecutor(2) as pool:
        statuses = sorted(pool.map(open_order, apis))
    assert statuses[1] == 409 and statuses[0] in (200, 201)
    assert len(apis[0].ok("GET", "/orders")["orders"]) == 1
    for api in apis:
        api.close()
