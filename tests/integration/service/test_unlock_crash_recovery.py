"""Issue #16 item 2: the agent killed (SIGKILL, a real process) between the card's RESET
RETRY COUNTER and the confirm. The key already holds the new PIN; a later agent run
finishes the confirm from its persisted record, or from the card's own proof of its last
reset when the record is gone, without resetting the key a second time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from emulator.personas import Scenario
from emulator.testing.api import Api, Flows, run_agent
from emulator.testing.keys import InProcessKey
from emulator.testing.proxy import confirm_interceptor
from szca_unlock.ukey.receipts import PendingUnlock, ReceiptStore
from szca_unlock.ukey.types import UnlockResult

AGENT = Path(__file__).with_name("unlock_agent_process.py")
ROOT = Path(__file__).resolve().parents[3]
FIRST_PIN, SECOND_PIN = "First2026pin", "Second2026pin"


def hold_forever(seen: threading.Event) -> Callable[[], None]:
    """The confirm is held (never answered): the agent sits between the reset and the
    confirm until the test kills it."""
    def hold() -> None:
        seen.set()
        threading.Event().wait(60)
    return hold


def kill_agent_between_reset_and_confirm(service: str, api: Api, key: InProcessKey,
                                         order_no: str, receipts: Path) -> None:
    seen = threading.Event()
    with confirm_interceptor(service, hold_forever(seen)) as proxy:
        agent = subprocess.Popen(
            [sys.executable, str(AGENT), proxy, api.token, str(key.repo.home), key.serial,
             order_no, FIRST_PIN, str(receipts)],
            env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE)
        try:
            assert seen.wait(120), agent.stderr.read() if agent.poll() is not None else "hung"
        finally:
            os.kill(agent.pid, signal.SIGKILL)
            agent.wait(30)
    assert agent.returncode == -signal.SIGKILL


@pytest.fixture
def killed_mid_unlock(service: str, api: Api, scenario: Scenario, tmp_path: Path,
                      locked_key: Callable[[str], InProcessKey]
                      ) -> tuple[str, InProcessKey, Path]:
    holder = scenario.people["citizen"]
    key = locked_key("natural")
    api.login(holder.mobile)
    order_no = Flows(api).open(scenario.certificate("natural").serial_hex)
    Flows(api).verify(order_no, "identity", "carrier", holder)
    receipts = tmp_path / "agent-unlocks"
    kill_agent_between_reset_and_confirm(service, api, key, order_no, receipts)
    shown = api.order(order_no)
    assert shown["state"] == "verified"  # what the service knows: issued, not confirmed
    assert shown["unlock"]["status"] == "awaiting_confirmation"
    assert (receipts / f"{order_no}.json").stat().st_mode & 0o777 == 0o600
    return order_no, key, receipts


def _rerun(api: Api, key: InProcessKey, order_no: str, receipts: Path) -> UnlockResult:
    return run_agent(api.base_url, api.token, key, order_no, SECOND_PIN, receipts)


def test_a_later_run_confirms_from_the_agents_record(
        api: Api, killed_mid_unlock: tuple[str, InProcessKey, Path]) -> None:
    order_no, key, receipts = killed_mid_unlock
    result = _rerun(api, key, order_no, receipts)
    assert result.reconciled and result.order_state == "completed"
    assert api.order(order_no)["unlock"]["status"] == "confirmed"
    assert key.accepts_pin(FIRST_PIN)  # the first run's PIN: no second reset
    assert not (receipts / f"{order_no}.json").exists()


def test_without_the_record_the_cards_proof_finishes_it(
        api: Api, killed_mid_unlock: tuple[str, InProcessKey, Path]) -> None:
    order_no, key, receipts = killed_mid_unlock
    (receipts / f"{order_no}.json").unlink()  # another computer, or the record was lost
    result = _rerun(api, key, order_no, receipts)
    assert result.reconciled and result.order_state == "completed"
    assert key.accepts_pin(FIRST_PIN)
    assert len(api.order(order_no)["history"]) >= 1
    assert api.order(order_no)["unlock"]["attempts"] == 1  # no second authorisation


def test_a_stale_record_of_another_service_does_not_block_the_unlock(
        api: Api, scenario: Scenario, tmp_path: Path,
        locked_key: Callable[[str], InProcessKey]) -> None:
    holder = scenario.people["citizen"]
    key = locked_key("natural")
    api.login(holder.mobile)
    order_no = Flows(api).open(scenario.certificate("natural").serial_hex)
    Flows(api).verify(order_no, "identity", "carrier", holder)
    receipts = tmp_path / "agent-unlocks"
    ReceiptStore(receipts).save(PendingUnlock(order_no, key.serial, "card", "f" * 32,
                                              challenge="00" * 16, receipt="11" * 16))
    result = _rerun(api, key, order_no, receipts)
    assert not result.reconciled and result.order_state == "completed"
    assert key.accepts_pin(SECOND_PIN)
