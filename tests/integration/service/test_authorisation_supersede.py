"""Issue #16 item 4 at the API: one live authorisation per order, a new one revokes the old.

Card path: a second authorisation (for the card's next challenge) leaves the first
cryptogram unusable — the key refuses it and stays blocked — and no stale authorisation
completes anything once a later one reset the key. PKCS#11 path: a second
``so-pin/authorise`` never releases anything while the first is live
(``test_unlock_rules.py::test_the_so_pin_is_released_once_whatever_the_parallel_calls``).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from emulator.personas import Scenario
from emulator.testing.api import Api, Flows, unlock_with_agent
from emulator.testing.keys import NEW_PIN, VirtualKey
from szca_unlock.ukey.errors import UKeyError


def _authorise(api: Api, order_no: str, persona_serial: str, key_serial: str,
               challenge: bytes) -> dict[str, str]:
    return dict(api.ok("POST", f"/orders/{order_no}/unlock/authorise", json={
        "key_serial": key_serial, "certificate_serial": persona_serial,
        "challenge": challenge.hex()}))


def test_a_second_card_authorisation_leaves_the_first_unusable(
        api: Api, scenario: Scenario, locked_key: Callable[[str], VirtualKey]) -> None:
    persona, holder = scenario.certificate("natural"), scenario.people["citizen"]
    key = locked_key("natural")
    api.login(holder.mobile)
    order_no = Flows(api).open(persona.serial_hex)
    Flows(api).verify(order_no, "identity", "carrier", holder)

    with key.driver.open(key.driver.list_keys()[0]) as card:
        first = _authorise(api, order_no, persona.serial_hex, key.serial, card.get_challenge())
        second = _authorise(api, order_no, persona.serial_hex, key.serial,
                            card.get_challenge())
        with pytest.raises(UKeyError):  # the first one no longer resets the key
            card.reset_retry_counter(bytes.fromhex(first["cryptogram"]), NEW_PIN)
    assert key.is_blocked()
    assert api.order(order_no)["unlock"]["attempts"] == 2  # the second is the live one

    # The user clicks 立即解锁 again: a fresh authorisation resets the key and completes.
    assert unlock_with_agent(api, order_no, key) == "completed"
    key.assert_unlocked_with(NEW_PIN, persona.serial_hex)
    with key.driver.open(key.driver.list_keys()[0]) as card:
        proof = card.last_reset()
    assert proof is not None
    for stale in (first, second):  # neither completes anything with the real receipt
        answer = api.call("POST", f"/orders/{order_no}/unlock/confirm", json={
            "authorisation_id": stale["authorisation_id"], "receipt": proof[1].hex()})
        assert answer.status_code in (400, 409), answer.text
    unlock = api.order(order_no)["unlock"]
    assert unlock["status"] == "confirmed" and unlock["attempts"] == 3
