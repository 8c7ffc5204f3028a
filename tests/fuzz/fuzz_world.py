"""The world a fuzz run works in: a seeded service app (the plugin's template database, clock,
master key and live mock providers), an applicant logged in by SMS through the mock with the
agreements accepted, a CA reviewer logged in, and a few real orders, so that generated
requests reach the handlers instead of stopping at "unknown order" every time.

The app is also mounted on the plugin's loopback ``service_host``: the logins go over real
HTTP with ``emulator.testing.api.Api``; schemathesis calls the same app object in-process.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from emulator.mock_providers.client import ProviderControl
from emulator.personas import Scenario, provider_records
from emulator.testing.api import Api
from emulator.testing.clock import TestClock
from emulator.testing.databases import copy_database
from emulator.testing.service_host import ServiceHost
from szca_unlock.config import ProviderEndpoints, Settings
from szca_unlock.providers import ProviderClients
from szca_unlock.service.app import create_app

APPLICANT_PERSONA = "citizen"


@dataclass
class FuzzWorld:
    app: FastAPI
    clock: TestClock
    applicant: Api
    staff_token: str
    # Order numbers by purpose: "realtime" (自然人, DRAFT), "org" (机构, DRAFT), "manual".
    orders: dict[str, str] = field(default_factory=dict)

    def token_for(self, path: str) -> str:
        staff = path.startswith("/api/staff/") and not path.endswith("/login")
        return self.staff_token if staff else self.applicant.token

    def order_for(self, path: str) -> str:
        if "/organisation" in path or "/authorization-letter" in path:
            return self.orders["org"]
        if any(part in path for part in ("/manual", "/documents", "/staff/")):
            return self.orders["manual"]
        return self.orders["realtime"]


def seeded(generated: Any, modulo: int = 2) -> bool:
    """A choice made from the generated value itself: reproducible with the seed, and
    both branches are taken across a run (``zlib.crc32``: ``hash()`` is salted per process)."""
    return zlib.crc32(repr(generated).encode()) % modulo == 0


def personalise(case: Any, world: FuzzWorld) -> None:
    """Aim a generated case at this world: a real order number half the time, a valid
    bearer token three times out of four (the rest keep the generated header)."""
    params = case.path_parameters or {}
    if "order_no" in params and seeded(params["order_no"]):
        params["order_no"] = world.order_for(case.path)
    headers = dict(case.headers or {})
    generated = next((k for k in headers if k.lower() == "authorization"), None)
    if generated is None or not seeded(headers[generated], 4):
        headers.pop(generated or "", None)
        headers["Authorization"] = f"Bearer {world.token_for(case.path)}"
    case.headers = headers


def staff_login(api: Api, scenario: Scenario) -> str:
    staff = scenario.staff[0]
    answer = api.ok("POST", "/staff/login", json={"username": staff.username,
                                                  "password": staff.password})
    return str(answer["token"])


def open_orders(api: Api, scenario: Scenario) -> dict[str, str]:
    def open_order(persona: str, mode: str) -> str:
        body = {"certificate_serial": scenario.certificate(persona).serial_hex, "mode": mode}
        return str(api.ok("POST", "/orders", json=body)["order_no"])

    return {"realtime": open_order("natural", "realtime"), "org": open_order("org", "realtime"),
            "manual": open_order("org_personal", "manual")}


@contextmanager
def fuzz_world(home: Path, template_db: Path, scenario: Scenario, clock: TestClock,
               master_key: bytes, host: ServiceHost, endpoints: ProviderEndpoints,
               control: ProviderControl) -> Iterator[FuzzWorld]:
    database_url = copy_database(template_db, home / "service.db")
    control.seed(provider_records(scenario))
    settings = Settings(home=home, database_url=database_url,
                        unlock_master_key_hex=master_key.hex(), providers=endpoints)
    app = create_app(settings, ProviderClients.from_endpoints(endpoints), clock)
    host.mount(app)
    applicant, staff = Api(host.base_url, control), Api(host.base_url, control)
    try:
        applicant.login(scenario.people[APPLICANT_PERSONA].mobile)
        world = FuzzWorld(app, clock, applicant, staff_login(staff, scenario))
        world.orders = open_orders(applicant, scenario)
        yield world
    finally:
        applicant.close()
        staff.close()
        host.mount(None)
        app.state.ctx.db.dispose()
