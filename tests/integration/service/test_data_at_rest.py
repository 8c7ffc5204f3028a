"""Issue #16 item 5: after a full unlock the service's database file holds no full ID
number, mobile or bank card (they are encrypted at rest; docs/security.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from emulator.personas import Scenario
from emulator.testing.api import Api, Flows, unlock_with_agent
from emulator.testing.keys import VirtualKey


def _database_bytes(path: Path) -> bytes:
    """The database as a local user could read it: the file and its WAL."""
    return b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal"))
                    if p.exists())


def test_after_a_full_org_unlock_the_database_file_holds_no_personal_numbers(
        api: Api, scenario: Scenario, locked_key: Callable[[str], VirtualKey],
        tmp_path: Path) -> None:
    company = scenario.companies["pengcheng"]
    key = locked_key("org")
    api.login(company.operator.mobile)
    flows = Flows(api)
    order_no = flows.open_org(scenario.certificate("org").serial_hex, company.legal_rep)
    flows.verify(order_no, "operator", "bank", company.operator)
    letter = api.ok("GET", f"/orders/{order_no}/authorization-letter")
    api.ok("POST", f"/orders/{order_no}/authorization-letter/confirm",
           json={"version": letter["version"]})
    flows.verify(order_no, "enterprise", "legal_bank", company.legal_rep)
    assert unlock_with_agent(api, order_no, key) == "completed"
    # The service still reads what it stored: the order, its owner's list.
    assert api.order(order_no)["state"] == "completed"
    assert [o["order_no"] for o in api.ok("GET", "/orders")["orders"]] == [order_no]

    raw = _database_bytes(tmp_path / "service.db")  # the service fixture's own file
    assert order_no.encode() in raw  # the file is the right one, and readable
    citizen = scenario.people["citizen"]  # in the register (holders), never in this flow
    for person in (company.operator, company.legal_rep, citizen):
        for number in (person.id_number, person.mobile, person.bank_card):
            assert number.encode() not in raw, f"{number[:3]}… is stored in clear"
