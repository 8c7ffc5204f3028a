"""No login can block a certificate's holder: an unverified order blocks nobody and expires
when left idle, the first verified order wins, and lookups show masked data only."""

from __future__ import annotations

from collections.abc import Callable

from emulator.personas import Scenario
from emulator.testing.api import Api, Flows
from emulator.testing.clock import TestClock


def _open(api: Api, serial: str) -> str:
    return str(api.ok("POST", "/orders", json={"certificate_serial": serial,
                                               "mode": "realtime"})["order_no"])


def test_an_unverified_order_of_another_login_does_not_block_the_holder(
        api_factory: Callable[[], Api], scenario: Scenario) -> None:
    serial = scenario.certificate("natural").serial_hex
    holder_person = scenario.people["citizen"]
    squatter, holder = api_factory(), api_factory()
    squatter.login(scenario.people["operator"].mobile)
    holder.login(holder_person.mobile)
    squatted = _open(squatter, serial)
    mine = _open(holder, serial)  # was 409 order_open_elsewhere until the squatter cancelled

    verified = Flows(holder).verify(mine, "identity", "carrier", holder_person)
    assert verified["state"] == "verified"

    # The first verified order wins: the other one is closed, saying why, and stays closed.
    closed = squatter.order(squatted)
    assert closed["state"] == "cancelled"
    assert closed["history"][-1]["note"] == "该证书已由其他账号完成身份验证，本业务单已自动关闭"
    refused = squatter.error("POST", "/orders", 409, json={"certificate_serial": serial,
                                                           "mode": "realtime"})
    assert refused["code"] == "order_open_elsewhere"


def test_an_idle_unverified_order_expires_after_24_hours(
        api_factory: Callable[[], Api], scenario: Scenario, clock: TestClock) -> None:
    serial = scenario.certificate("natural").serial_hex
    squatter = api_factory()
    squatter.login(scenario.people["operator"].mobile)
    squatted = _open(squatter, serial)
    clock.advance(hours=23, minutes=59)
    squatter.login(scenario.people["operator"].mobile)  # the session itself timed out
    assert squatter.order(squatted)["state"] == "draft"
    clock.advance(hours=24)
    squatter.login(scenario.people["operator"].mobile)
    expired = squatter.order(squatted)
    assert expired["state"] == "cancelled"
    assert expired["history"][-1]["note"] == (
        "超过24小时未办理，业务单已自动关闭；如需解锁请重新发起")
    assert [o["state"] for o in squatter.ok("GET", "/orders")["orders"]] == ["cancelled"]


def test_a_verified_order_does_not_expire(api: Api, scenario: Scenario,
                                          clock: TestClock) -> None:
    person = scenario.people["citizen"]
    api.login(person.mobile)
    order_no = _open(api, scenario.certificate("natural").serial_hex)
    Flows(api).verify(order_no, "identity", "carrier", person)
    clock.advance(days=3)
    api.login(person.mobile)
    assert api.order(order_no)["state"] == "verified"


def test_lookups_mask_the_holder_name_and_uscc(api: Api, scenario: Scenario) -> None:
    person = scenario.people["citizen"]
    api.login(scenario.people["operator"].mobile)  # anyone logged in
    shown = api.ok("GET", f"/certificates/{scenario.certificate('natural').serial_hex}")
    assert shown["holder_name"] == person.name[0] + "*" * (len(person.name) - 1)
    assert person.name not in shown["subject_dn"]
    assert f"CN={shown['holder_name']}" in shown["subject_dn"]
    org = api.ok("GET", f"/certificates/{scenario.certificate('org').serial_hex}")["organisation"]
    uscc = scenario.companies["pengcheng"].uscc
    assert org["uscc"] == "*" * 14 + uscc[-4:]
    assert org["name"] == scenario.companies["pengcheng"].name  # to recognise it by

    # Inside the holder's own order the manual's screens show them in full (PER-RT-5).
    api.login(person.mobile)
    order = api.ok("POST", "/orders", json={"certificate_serial": scenario.certificate(
        "natural").serial_hex, "mode": "realtime"})
    assert order["certificate"]["holder_name"] == person.name
