"""Every real-time flow variant, end to end: a locked virtual U-KEY (SW 6983), SMS login,
agreements, lookup, 实时解锁, the identity checks through the live mock providers,
立即解锁 through the agent, new PIN verifies, the key signs.

ORG-RT: every operator method × every enterprise method; PER-RT: every identity method ×
2 kinds (the methods are read from the one table, so a new method is covered here too).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from emulator.personas import Scenario
from emulator.testing.api import Api, Flows, unlock_with_agent
from emulator.testing.keys import NEW_PIN, VirtualKey
from szca_unlock.domain.verification_methods import methods_of


@pytest.mark.parametrize("operator_method", methods_of("operator"))
@pytest.mark.parametrize("enterprise_method", methods_of("enterprise"))
def test_org_realtime_unlock(api: Api, scenario: Scenario,
                             locked_key: Callable[[str], VirtualKey],
                             operator_method: str, enterprise_method: str) -> None:
    persona = scenario.certificate("org")
    company = scenario.companies["pengcheng"]
    key = locked_key("org")
    api.login(company.operator.mobile)
    flows = Flows(api)
    order_no = flows.open(persona.serial_hex)

    org = api.ok("GET", f"/orders/{order_no}/organisation")  # ORG-RT-5
    assert (org["name"], org["uscc"]) == (company.name, company.uscc)
    order = api.ok("POST", f"/orders/{order_no}/organisation", json={
        "legal_rep_name": company.legal_rep.name,
        "legal_rep_id_number": company.legal_rep.id_number})
    assert order["progress"]["current_label"] == "身份验证"

    order = flows.verify(order_no, "operator", operator_method, company.operator)  # ORG-RT-6
    assert order["state"] == "operator_verified"

    letter = api.ok("GET", f"/orders/{order_no}/authorization-letter")  # ORG-RT-7
    values = {f["label"]: f["value"] for f in letter["fields"]}
    assert values["委托单位"] == company.name
    assert values["经办人姓名"] == company.operator.name
    assert company.operator.id_number not in str(letter)  # masked on screen
    order = api.ok("POST", f"/orders/{order_no}/authorization-letter/confirm",
                   json={"version": letter["version"]})
    assert order["progress"]["current_label"] == "企业验证"

    order = flows.verify(order_no, "enterprise", enterprise_method, company.legal_rep,
                         company)  # ORG-RT-8
    assert order["state"] == "verified"
    assert order["progress"]["current_label"] == "完成并解锁"
    assert order["next_steps"][0] == "unlock"

    assert unlock_with_agent(api, order_no, key) == "completed"  # ORG-RT-9
    key.assert_unlocked_with(NEW_PIN, persona.serial_hex)
    final = api.order(order_no)
    assert final["state"] == "completed" and final["progress"]["done"]
    assert [h["event"] for h in final["history"]] == [
        "confirm_org_info", "verify_operator", "confirm_authorization", "verify_enterprise",
        "complete_unlock"]


@pytest.mark.parametrize("method", methods_of("identity"))
@pytest.mark.parametrize(("persona_key", "holder_key", "type_label"), [
    ("org_personal", "employee", "机构个人证书"), ("natural", "citizen", "自然人证书")])
def test_personal_realtime_unlock(api: Api, scenario: Scenario,
                                  locked_key: Callable[[str], VirtualKey], method: str,
                                  persona_key: str, holder_key: str, type_label: str) -> None:
    persona = scenario.certificate(persona_key)
    holder = scenario.people[holder_key]
    key = locked_key(persona_key)
    api.login(holder.mobile)
    order_no = Flows(api).open(persona.serial_hex)
    order = Flows(api).verify(order_no, "identity", method, holder)  # PER-RT-5
    assert order["state"] == "verified"

    screen = api.ok("GET", f"/orders/{order_no}/result")  # PER-RT-6
    assert screen["title"] == "恭喜！审核已通过"
    assert screen["order_no"] == order_no
    assert screen["certificate_type"] == type_label
    assert holder.name in screen["subject_dn"]

    assert unlock_with_agent(api, order_no, key) == "completed"
    key.assert_unlocked_with(NEW_PIN, persona.serial_hex)
    assert api.order(order_no)["state"] == "completed"


@pytest.mark.pcsc
@pytest.mark.parametrize(("persona_key", "holder_key"), [("natural", "citizen")])
def test_unlock_through_pcscd_and_vpcd(api: Api, scenario: Scenario,
                                       pcsc_locked_key: Callable[[str], VirtualKey],
                                       persona_key: str, holder_key: str) -> None:
    """The same flow with the card in a virtual reader: pyscard → pcscd → vpcd."""
    persona, holder = scenario.certificate(persona_key), scenario.people[holder_key]
    key = pcsc_locked_key(persona_key)
    api.login(holder.mobile)
    order_no = Flows(api).open(persona.serial_hex)
    Flows(api).verify(order_no, "identity", "carrier", holder)
    assert unlock_with_agent(api, order_no, key) == "completed"
    key.assert_unlocked_with(NEW_PIN, persona.serial_hex)
