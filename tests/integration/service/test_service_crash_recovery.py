"""Issue #16 item 2, the service's side: the SERVICE (a real process) SIGKILLed between the
card's RESET RETRY COUNTER and the confirm. The key holds the new PIN, the confirm never
reached the database; after a restart the order says what is known (authorised, awaiting
confirmation), and a later agent run finishes the confirm without a second reset — from
its own record, or from the card's proof of its last reset when the record is gone."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from emulator.mock_providers.client import ProviderControl
from emulator.mock_providers.server import ProviderServer, free_port
from emulator.personas import Scenario, provider_records
from emulator.servers import service_env, start_server
from emulator.testing.api import Api, Flows, run_agent
from emulator.testing.databases import copy_database
from emulator.testing.keys import InProcessKey
from emulator.testing.proxy import confirm_interceptor
from emulator.virtual_ukey import processes
from szca_unlock.ukey.errors import UnlockIncomplete

FIRST_PIN, SECOND_PIN = "First2026pin", "Second2026pin"


class ServiceProcess:
    """``python -m szca_unlock.service`` on a copy of the template database, restartable
    on the same database (the files a killed service leaves are all it gets back)."""

    def __init__(self, home: Path, database_url: str, master_key: bytes,
                 providers_url: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.home = home
        self.env = service_env(home=home, database_url=database_url,
                               master_key_hex=master_key.hex(), providers_url=providers_url,
                               public_url=self.url)
        self.pid: int | None = None

    def start(self) -> None:
        self.pid = start_server(
            ["-m", "szca_unlock.service", "--port", str(self.port), "--log-level", "warning"],
            f"{self.url}/api/health", self.home / "service.log", env=self.env, timeout_s=60)

    def kill(self) -> None:
        """SIGKILL, the whole process group: no shutdown code runs."""
        assert self.pid is not None
        os.killpg(self.pid, signal.SIGKILL)
        processes.stop(self.pid)  # reaps it
        self.pid = None

    def stop(self) -> None:
        processes.stop(self.pid)
        self.pid = None


@pytest.fixture
def service_process(tmp_path: Path, template_db: Path, ukey_master_key: bytes,
                    mock_providers_server: ProviderServer, mock_providers: ProviderControl,
                    scenario: Scenario) -> Iterator[ServiceProcess]:
    mock_providers.seed(provider_records(scenario))
    database_url = copy_database(template_db, tmp_path / "service.db")
    process = ServiceProcess(tmp_path / "home", database_url, ukey_master_key,
                             mock_providers_server.base_url)
    process.start()
    try:
        yield process
    finally:
        process.stop()


@pytest.mark.parametrize("agent_record", ["kept", "lost"])
def test_service_killed_between_reset_and_confirm_then_a_later_run_confirms(
        agent_record: str, service_process: ServiceProcess, mock_providers: ProviderControl,
        scenario: Scenario, tmp_path: Path,
        locked_key: Callable[[str], InProcessKey]) -> None:
    holder = scenario.people["citizen"]
    key = locked_key("natural")
    api = Api(service_process.url, mock_providers)
    api.login(holder.mobile)
    order_no = Flows(api).open(scenario.certificate("natural").serial_hex)
    Flows(api).verify(order_no, "identity", "carrier", holder)
    receipts = tmp_path / "agent-unlocks"

    killed = threading.Event()

    def kill_the_service() -> None:
        service_process.kill()
        killed.set()

    with confirm_interceptor(service_process.url, kill_the_service) as proxy, pytest.raises(
            UnlockIncomplete) as incomplete:
        run_agent(proxy, api.token, key, order_no, FIRST_PIN, receipts)
    assert killed.is_set()
    assert "不会再次重置密码" in str(incomplete.value)  # the user is told what to do
    assert key.accepts_pin(FIRST_PIN)  # the card was reset before the service died

    service_process.start()  # same database, same login
    shown = api.order(order_no)
    assert shown["state"] == "verified"  # what the service knows: authorised, unconfirmed
    assert shown["unlock"]["status"] == "awaiting_confirmation"
    assert "不会再次重置密码" in shown["unlock"]["message"]

    if agent_record == "lost":  # another computer, or the record was lost
        (receipts / f"{order_no}.json").unlink()
    result = run_agent(service_process.url, api.token, key, order_no, SECOND_PIN, receipts)
    assert result.reconciled and result.order_state == "completed"
    assert key.accepts_pin(FIRST_PIN)  # no second reset
    shown = api.order(order_no)
    assert shown["unlock"]["status"] == "confirmed" and shown["unlock"]["attempts"] == 1
    api.close()
