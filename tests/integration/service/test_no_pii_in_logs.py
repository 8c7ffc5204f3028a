"""No full ID number, bank card or PIN reaches a log line or an error body, even before
the masking log filter (the code itself logs only masked values)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from emulator.personas import Scenario
from emulator.testing.api import Api, Flows, unlock_with_agent
from emulator.testing.keys import NEW_PIN, VirtualKey


def test_a_full_org_flow_logs_no_personal_data(api: Api, scenario: Scenario,
                                              locked_key: Callable[[str], VirtualKey],
                                              caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    company = scenario.companies["pengcheng"]
    key = locked_key("org")
    api.login(company.operator.mobile)
    flows = Flows(api)
    order_no = flows.open_org(scenario.certificate("org").serial_hex, company.legal_rep)
    wrong = api.call("POST", f"/orders/{order_no}/verifications/operator", json={
        "method": "bank", "name": company.operator.name,
        "id_number": company.operator.id_number, "bank_card": company.legal_rep.bank_card,
        "mobile": company.operator.mobile})
    assert wrong.status_code == 400
    flows.verify(order_no, "operator", "bank", company.operator)
    letter = api.ok("GET", f"/orders/{order_no}/authorization-letter")
    api.ok("POST", f"/orders/{order_no}/authorization-letter/confirm",
           json={"version": letter["version"]})
    flows.verify(order_no, "enterprise", "legal_bank", company.legal_rep)
    unlock_with_agent(api, order_no, key)

    secrets = [company.operator.id_number, company.legal_rep.id_number,
               company.operator.bank_card, company.legal_rep.bank_card, NEW_PIN,
               key.initial_pin]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert logged  # the service, the agent and the provider clients did log
    for secret in secrets:
        assert secret not in logged
        assert secret not in wrong.text
