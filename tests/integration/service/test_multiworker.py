"""The service as 2 worker processes on PostgreSQL + Redis (``python -m
szca_unlock.service --workers 2``): what one process enforces alone must hold when two
processes serve one client at once — request limits, OTP tries, one open order per
certificate, one SO PIN disclosure, the cryptogram budget of an order — and a full
real-time unlock completes.

Runs with ``tox -e postgres`` (``SZCA_TEST_DATABASE_URL``); each test gets a fresh
database, a private Redis and its own 2-worker service on a free loopback port.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest

from emulator.mock_providers.client import ProviderControl
from emulator.mock_providers.server import ProviderServer
from emulator.personas import Scenario, provider_records
from emulator.ports import free_port
from emulator.servers import service_env, start_server
from emulator.testing.api import Api, Flows, unlock_with_agent
from emulator.testing.keys import NEW_PIN, VirtualKey
from emulator.virtual_ukey import processes
from szca_unlock.service.context import utc_now
from szca_unlock.store.database import Database
from szca_unlock.store.enums import UKeyDriver
from szca_unlock.store.repo_pki import upsert_ukey
from szca_unlock.unlock import UnlockAuthority

pytestmark = (pytest.mark.postgres if os.environ.get("SZCA_TEST_DATABASE_URL")
              else pytest.mark.skip(reason="SZCA_TEST_DATABASE_URL is not set"))

WORKERS = 2


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


@pytest.fixture
def two_workers(pg_url: str, tmp_path: Path, scenario: Scenario, ukey_master_key: bytes,
                mock_providers_server: ProviderServer,
                mock_providers: ProviderControl,
                private_redis: Callable[[Path], AbstractContextManager[str]]) -> Iterator[str]:
    mock_providers.seed(provider_records(scenario))
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with private_redis(tmp_path / "redis") as redis_url:
        env = {**service_env(home=tmp_path / "home", database_url=pg_url,
                             master_key_hex=ukey_master_key.hex(),
                             providers_url=mock_providers_server.base_url,
                             public_url=base_url),
               "SZCA_REDIS_URL": redis_url}
        pid = start_server(["-m", "szca_unlock.service", "--host", "127.0.0.1",
                            "--port", str(port), "--workers", str(WORKERS)],
                           f"{base_url}/api/health", tmp_path / "service.log", env=env,
                           timeout_s=60)
        try:
            assert len(_children(pid)) >= WORKERS, "uvicorn did not start its workers"
            yield base_url
        finally:
            processes.stop(pid)


def _in_parallel(count: int, call: Callable[[int], httpx.Response]) -> list[httpx.Response]:
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(call, range(count)))


def test_request_limits_count_across_workers(two_workers: str) -> None:
    """30 logins per address per 10 minutes in all: each process alone would allow 30."""
    def login(_: int) -> httpx.Response:
        with httpx.Client(base_url=two_workers) as fresh:  # a new connection each time
            return fresh.post("/api/auth/login",
                              json={"mobile": "13800000000", "code": "000000"})

    answers = _in_parallel(36, login)
    refused = [a for a in answers if a.status_code == 429]
    assert len(refused) == 6, sorted(a.status_code for a in answers)
    assert refused[0].json()["error"]["code"] == "rate_limited"
    assert int(refused[0].headers["Retry-After"]) > 500


def test_parallel_wrong_codes_cannot_outnumber_the_tries(
        two_workers: str, mock_providers: ProviderControl, scenario: Scenario) -> None:
    """Five tries per code, however many guesses arrive at the same instant; then even
    the right code is refused."""
    mobile = scenario.people["citizen"].mobile
    since = mock_providers.now()
    httpx.post(f"{two_workers}/api/auth/sms-code", json={"mobile": mobile}).raise_for_status()
    right = mock_providers.sms_code(mobile, after=since, purpose="login")
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    def guess(_: int) -> httpx.Response:
        with httpx.Client(base_url=two_workers) as fresh:
            return fresh.post("/api/auth/login", json={"mobile": mobile, "code": wrong})

    codes = [a.json()["error"]["code"] for a in _in_parallel(16, guess)]
    assert sorted(codes) == ["otp.exhausted"] * 12 + ["otp.mismatch"] * 4, codes
    late = httpx.post(f"{two_workers}/api/auth/login", json={"mobile": mobile, "code": right})
    assert late.status_code == 400 and late.json()["error"]["code"] == "otp.exhausted"


def test_a_double_click_opens_one_order(two_workers: str, mock_providers: ProviderControl,
                                        scenario: Scenario) -> None:
    persona, holder = scenario.certificate("natural"), scenario.people["citizen"]
    api = Api(two_workers, mock_providers)
    api.login(holder.mobile)

    def open_order(_: int) -> httpx.Response:
        return api.call("POST", "/orders", json={"certificate_serial": persona.serial_hex,
                                                 "mode": "realtime"})

    answers = _in_parallel(8, open_order)
    assert sorted(a.status_code for a in answers) == [201] + [409] * 7
    assert {a.json()["error"]["code"] for a in answers if a.status_code == 409} == {
        "order_open"}
    assert len(api.ok("GET", "/orders")["orders"]) == 1
    api.close()


def test_the_so_pin_is_disclosed_once_by_either_worker(
        two_workers: str, pg_url: str, mock_providers: ProviderControl, scenario: Scenario,
        ukey_master_key: bytes) -> None:
    persona, holder = scenario.certificate("natural_pkcs11"), scenario.people["citizen"]
    database = Database(pg_url)
    with database.session() as session:
        sealed = UnlockAuthority(ukey_master_key, utc_now).seal_so_pin(persona.key_serial,
                                                              "so-pin-0000001")
        upsert_ukey(session, persona.key_serial, UKeyDriver.PKCS11, so_pin_sealed=sealed)
    database.dispose()
    api = Api(two_workers, mock_providers)
    api.login(holder.mobile)
    order_no = Flows(api).open(persona.serial_hex)
    Flows(api).verify(order_no, "identity", "carrier", holder)

    def release(_: int) -> httpx.Response:
        return api.call("POST", f"/orders/{order_no}/unlock/so-pin/authorise", json={
            "key_serial": persona.key_serial, "certificate_serial": persona.serial_hex})

    answers = _in_parallel(20, release)
    granted = [a.json() for a in answers if a.status_code == 200]
    assert len(granted) == 1 and granted[0]["so_pin"] == "so-pin-0000001"
    assert {a.json()["error"]["code"] for a in answers if a.status_code != 200} == {
        "unlock.so_pin_released"}
    api.close()


def test_cryptograms_per_order_stay_limited_across_workers(
        two_workers: str, mock_providers: ProviderControl, scenario: Scenario) -> None:
    persona, holder = scenario.certificate("natural"), scenario.people["citizen"]
    api = Api(two_workers, mock_providers)
    api.login(holder.mobile)
    order_no = Flows(api).open(persona.serial_hex)
    Flows(api).verify(order_no, "identity", "carrier", holder)

    def authorise(_: int) -> httpx.Response:
        return api.call("POST", f"/orders/{order_no}/unlock/authorise", json={
            "key_serial": persona.key_serial, "certificate_serial": persona.serial_hex,
            "challenge": os.urandom(16).hex()})

    answers = _in_parallel(20, authorise)
    assert sorted(a.status_code for a in answers).count(200) == 5
    assert api.order(order_no)["unlock"]["attempts"] == 5
    api.close()


def test_a_realtime_unlock_through_two_workers(two_workers: str,
                                               mock_providers: ProviderControl,
                                               scenario: Scenario,
                                               locked_key: Callable[[str], VirtualKey]) -> None:
    persona, holder = scenario.certificate("natural"), scenario.people["citizen"]
    key = locked_key("natural")
    api = Api(two_workers, mock_providers)
    api.login(holder.mobile)
    order_no = Flows(api).open(persona.serial_hex)
    assert Flows(api).verify(order_no, "identity", "carrier", holder)["state"] == "verified"
    assert unlock_with_agent(api, order_no, key) == "completed"
    key.assert_unlocked_with(NEW_PIN, persona.serial_hex)
    api.close()
