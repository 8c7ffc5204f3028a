"""C-5 / C-6 rules of 立即解锁: only the bound key and certificate, only when verified,
one cryptogram per challenge, completion only on a valid receipt (late too);
a different key mid-flow is refused with 数据冲突 and never reset."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from emulator.personas import Scenario
from emulator.testing.api import Api, Flows
from emulator.testing.clock import TestClock
from emulator.testing.keys import NEW_PIN, VirtualKey
from szca_unlock.api.errors import ApiDataConflict
from szca_unlock.client.unlock import HttpUnlockServiceClient
from szca_unlock.store.database import Database
from szca_unlock.store.enums import UKeyDriver
from szca_unlock.store.repo_pki import get_ukey, upsert_ukey
from szca_unlock.ukey import UnlockAgent
from szca_unlock.unlock import UnlockAuthority, compute_receipt, derive_card_key

NATURAL, KEY = "5A1C0E2B7D3F0003", "SZ2025000003"  # emulator/scenarios/default.yaml "natural"


def verified_order(api: Api, scenario: Scenario) -> str:
    holder = scenario.people["citizen"]
    api.login(holder.mobile)
    order_no = Flows(api).open(NATURAL)
    Flows(api).verify(order_no, "identity", "carrier", holder)
    return order_no


def authorise(api: Api, order_no: str, challenge: bytes, status: int = 200,
              key_serial: str = KEY, certificate_serial: str = NATURAL) -> dict:
    answer = api.call("POST", f"/orders/{order_no}/unlock/authorise", json={
        "key_serial": key_serial, "certificate_serial": certificate_serial,
        "challenge": challenge.hex()})
    assert answer.status_code == status, answer.text
    return dict(answer.json())


def receipt(master_key: bytes, challenge: bytes) -> str:
    return compute_receipt(derive_card_key(master_key, KEY), KEY, challenge).hex()


def test_unlock_refused_before_verification(api: Api, scenario: Scenario) -> None:
    api.login(scenario.people["citizen"].mobile)
    order_no = Flows(api).open(NATURAL)
    error = authorise(api, order_no, os.urandom(16), 409)["error"]
    assert error["code"] == "not_verified" and "认证或审核通过后" in error["message"]


@pytest.mark.parametrize(("key_serial", "certificate_serial", "field"), [
    ("SZ2025000002", NATURAL, "key_serial"),
    (KEY, "5A1C0E2B7D3F0002", "certificate_serial")])
def test_another_key_or_certificate_is_a_data_conflict(
        api: Api, scenario: Scenario, key_serial: str, certificate_serial: str,
        field: str) -> None:
    order_no = verified_order(api, scenario)
    error = authorise(api, order_no, os.urandom(16), 409, key_serial=key_serial,
                      certificate_serial=certificate_serial)["error"]
    assert error["code"] == "data_conflict" and error["field"] == field
    assert "数据冲突" in error["message"] and "刷新网页" in error["message"]
    assert "每次只插入一个" in error["message"]
    order = api.order(order_no)
    assert order["state"] == "verified" and len(order["history"]) == 1


def test_a_different_card_mid_flow_is_never_reset(
        api: Api, scenario: Scenario, locked_key: Callable[[str], VirtualKey]) -> None:
    order_no = verified_order(api, scenario)
    other = locked_key("org_personal")  # the user inserted another person's key
    client = HttpUnlockServiceClient(api.base_url, api.token)
    with pytest.raises(ApiDataConflict) as err:
        UnlockAgent(client, other.driver).unlock(order_no, new_pin=NEW_PIN,
                                                 confirm_pin=NEW_PIN)
    client.close()
    assert "数据冲突" in str(err.value.message)
    assert other.is_blocked()
    assert api.order(order_no)["state"] == "verified"


def test_one_cryptogram_per_challenge(api: Api, scenario: Scenario) -> None:
    order_no = verified_order(api, scenario)
    challenge = os.urandom(16)
    authorise(api, order_no, challenge)
    again = authorise(api, order_no, challenge, 409)["error"]
    assert again["code"] == "unlock.challenge_reused"


def test_completion_needs_a_valid_receipt_once(api: Api, scenario: Scenario,
                                               ukey_master_key: bytes) -> None:
    order_no = verified_order(api, scenario)
    challenge = os.urandom(16)
    granted = authorise(api, order_no, challenge)
    confirm = f"/orders/{order_no}/unlock/confirm"
    forged = api.error("POST", confirm, 400, json={
        "authorisation_id": granted["authorisation_id"], "receipt": "00" * 16})
    assert forged["code"] == "unlock.receipt_invalid"
    assert api.order(order_no)["state"] == "verified"
    done = api.ok("POST", confirm, json={"authorisation_id": granted["authorisation_id"],
                                         "receipt": receipt(ukey_master_key, challenge)})
    assert done["state"] == "completed"
    replay = api.error("POST", confirm, 409, json={
        "authorisation_id": granted["authorisation_id"],
        "receipt": receipt(ukey_master_key, challenge)})
    assert replay["code"] == "unlock.already_confirmed"
    assert authorise(api, order_no, os.urandom(16), 409)["error"]["code"] == "not_verified"


def test_a_valid_receipt_confirms_after_the_120_seconds(api: Api, scenario: Scenario,
                                                         ukey_master_key: bytes,
                                                         clock: TestClock) -> None:
    # The key was reset: the order must follow it, however late the confirm arrives.
    order_no = verified_order(api, scenario)
    challenge = os.urandom(16)
    granted = authorise(api, order_no, challenge)
    clock.advance(minutes=20)
    api.login(scenario.people["citizen"].mobile)
    done = api.ok("POST", f"/orders/{order_no}/unlock/confirm", json={
        "authorisation_id": granted["authorisation_id"],
        "receipt": receipt(ukey_master_key, challenge)})
    assert done["state"] == "completed"


def test_malformed_challenge_is_a_field_error(api: Api, scenario: Scenario) -> None:
    order_no = verified_order(api, scenario)
    error = api.error("POST", f"/orders/{order_no}/unlock/authorise", 422, json={
        "key_serial": KEY, "certificate_serial": NATURAL, "challenge": "zz"})
    assert error["field"] == "challenge" and error["message"] == "挑战数格式不正确"


# --- issue #16: SO PIN released once, cryptograms limited, reconciliation -------------
def test_the_so_pin_is_released_once_whatever_the_parallel_calls(
        api: Api, scenario: Scenario, ukey_master_key: bytes, tmp_path: Path,
        clock: TestClock) -> None:
    persona, holder = scenario.certificate("natural_pkcs11"), scenario.people["citizen"]
    database = Database(f"sqlite:///{tmp_path / 'service.db'}")  # the service's own file
    authority = UnlockAuthority(ukey_master_key, clock)
    with database.session() as session:
        upsert_ukey(session, persona.key_serial, UKeyDriver.PKCS11,
                    so_pin_sealed=authority.seal_so_pin(persona.key_serial, "so-pin-0000001"))
    api.login(holder.mobile)
    order_no = Flows(api).open(persona.serial_hex)
    Flows(api).verify(order_no, "identity", "carrier", holder)

    def release(_: int) -> tuple[int, dict]:
        answer = api.call("POST", f"/orders/{order_no}/unlock/so-pin/authorise", json={
            "key_serial": persona.key_serial, "certificate_serial": persona.serial_hex})
        return answer.status_code, answer.json()

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(release, range(30)))
    granted = [body for status, body in answers if status == 200]
    assert len(granted) == 1 and granted[0]["so_pin"] == "so-pin-0000001"
    refused = [body["error"]["code"] for status, body in answers if status != 200]
    assert refused == ["unlock.so_pin_released"] * 29
    shown = api.order(order_no)["unlock"]
    assert shown["status"] == "awaiting_confirmation" and "不会再次下发" in shown["message"]

    # The agent that got it reports the rotation late: recorded, and the new SO PIN is kept.
    clock.advance(minutes=10)
    api.login(holder.mobile)
    done = api.ok("POST", f"/orders/{order_no}/unlock/so-pin/confirm", json={
        "authorisation_id": granted[0]["authorisation_id"], "token_serial": persona.key_serial})
    assert done["state"] == "completed" and done["unlock"]["status"] == "confirmed"
    with database.session(readonly=True) as session:
        assert get_ukey(session, persona.key_serial).pending_so_pin_sealed is None
    database.dispose()


def test_cryptograms_per_order_are_limited(api: Api, scenario: Scenario) -> None:
    order_no = verified_order(api, scenario)
    for _ in range(5):
        authorise(api, order_no, os.urandom(16))
    refused = authorise(api, order_no, os.urandom(16), 409)["error"]
    assert refused["code"] == "unlock.attempts_exhausted" and "400-112-3838" in refused["help"]
    assert api.order(order_no)["unlock"]["attempts"] == 5


def test_the_cards_proof_of_its_last_reset_finishes_the_unlock(
        api: Api, scenario: Scenario, ukey_master_key: bytes, clock: TestClock) -> None:
    order_no = verified_order(api, scenario)
    challenge = os.urandom(16)
    authorise(api, order_no, challenge)  # the agent resets the key, then dies: no confirm
    shown = api.order(order_no)
    assert shown["state"] == "verified"
    assert shown["unlock"]["status"] == "awaiting_confirmation"
    assert "不会再次重置密码" in shown["unlock"]["message"]
    clock.advance(minutes=30)
    api.login(scenario.people["citizen"].mobile)
    wrong = api.call("POST", f"/orders/{order_no}/unlock/reconcile", json={
        "key_serial": KEY, "challenge": os.urandom(16).hex(),
        "receipt": receipt(ukey_master_key, challenge)})
    assert wrong.status_code == 404
    done = api.ok("POST", f"/orders/{order_no}/unlock/reconcile", json={
        "key_serial": KEY, "challenge": challenge.hex(),
        "receipt": receipt(ukey_master_key, challenge)})
    assert done["state"] == "completed" and done["unlock"]["status"] == "confirmed"
