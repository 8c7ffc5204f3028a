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
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from emulator.mock_providers.client import ProviderControl
from emulator.mock_providers.server import ProviderServer, free_port
from emulator.personas import Scenario, provider_records
from emulator.servers import service_env, start_server
from emulator.testing.api import Api, Flows
from emulator.testing.databases import copy_database
from emulator.testing.keys import InProcessKey
from emulator.virtual_ukey import processes
from szca_unlock.client.unlock import HttpUnlockServiceClient
from szca_unlock.ukey import UnlockAgent
from szca_unlock.ukey.errors import UKeyError, UnlockIncomplete
from szca_unlock.ukey.receipts import ReceiptStore
from szca_unlock.ukey.types import UnlockResult

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


@contextmanager
def killing_proxy(service: ServiceProcess, killed: threading.Event) -> Iterator[str]:
    """Forwards to the service; when the confirm arrives, kills the service and hangs up
    (the agent's confirm gets no answer, the database never sees it)."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: object) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path.endswith("/unlock/confirm"):
                service.kill()
                killed.set()
                self.close_connection = True
                return
            answer = httpx.post(service.url + self.path, content=body, timeout=30, headers={
                k: v for k, v in self.headers.items() if k.lower() != "host"})
            self.send_response(answer.status_code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _unlock(url: str, token: str, key: InProcessKey, order_no: str, pin: str,
            receipts: Path) -> UnlockResult:
    client = HttpUnlockServiceClient(url, token, timeout_s=60)
    try:
        return UnlockAgent(client, key.driver, ReceiptStore(receipts)).unlock(
            order_no, new_pin=pin, confirm_pin=pin, expected_key_serial=key.serial)
    finally:
        client.close()


def _pin_works(key: InProcessKey, pin: str) -> bool:
    with key.driver.open(key.driver.list_keys()[0]) as opened:
        try:
            opened.verify_pin(pin)
        except UKeyError:
            return False
        return True


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
    with killing_proxy(service_process, killed) as proxy, pytest.raises(
            UnlockIncomplete) as incomplete:
        _unlock(proxy, api.token, key, order_no, FIRST_PIN, receipts)
    assert killed.is_set()
    assert "不会再次重置密码" in str(incomplete.value)  # the user is told what to do
    assert _pin_works(key, FIRST_PIN)  # the card was reset before the service died

    service_process.start()  # same database, same login
    shown = api.order(order_no)
    assert shown["state"] == "verified"  # what the service knows: authorised, unconfirmed
    assert shown["unlock"]["status"] == "awaiting_confirmation"
    assert "不会再次重置密码" in shown["unlock"]["message"]

    if agent_record == "lost":  # another computer, or the record was lost
        (receipts / f"{order_no}.json").unlink()
    result = _unlock(service_process.url, api.token, key, order_no, SECOND_PIN, receipts)
    assert result.reconciled and result.order_state == "completed"
    assert _pin_works(key, FIRST_PIN)  # no second reset
    shown = api.order(order_no)
    assert shown["unlock"]["status"] == "confirmed" and shown["unlock"]["attempts"] == 1
    api.close()
