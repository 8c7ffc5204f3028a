"""The world a fuzz run works in: a seeded service app (the plugin's template database, clock,
master key and live mock providers), an applicant logged in by SMS through the mock with the
agreements accepted, a CA reviewer logged in, and a few real orders, so that generated
requests reach the handlers instead of stopping at "unknown order" every time.

The app is also mounted on the plugin's loopback ``service_host``: the logins go over real
HTTP with ``emulator.testing.api.Api``; schemathesis calls the same app object in-process.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from PIL import Image

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
    scenario: Scenario
    applicant: Api
    staff: Api
    # Order numbers by purpose: "realtime" (自然人, DRAFT), "org" (机构, DRAFT), "manual"
    # (机构个人, DRAFT, one document), "review" (自然人, SUBMITTED: the reviewer's).
    orders: dict[str, str] = field(default_factory=dict)
    documents: dict[str, int] = field(default_factory=dict)  # the same keys: a document id

    def _is_staff(self, path: str) -> bool:
        return path.startswith("/api/staff/") and not path.endswith("/login")

    def token_for(self, path: str) -> str:
        return self.staff.token if self._is_staff(path) else self.applicant.token

    def purpose(self, path: str) -> str:
        if self._is_staff(path):
            return "review"
        if "/organisation" in path or "/authorization-letter" in path:
            return "org"
        if "/manual" in path or "/documents" in path:
            return "manual"
        return "realtime"

    def after(self, status: int, retry_after: str | None) -> None:
        """A per-address limit was hit: wait it out on the service's clock (the limits have
        their own tests; the fuzzer wants the handlers behind them), and log in again if
        the sessions did not survive the wait."""
        if status != 429 or not (retry_after or "").isdigit():
            return
        self.clock.advance(seconds=int(retry_after or 0) + 1)
        if self.applicant.call("GET", "/auth/me").status_code == 401:
            self.applicant.login(self.scenario.people[APPLICANT_PERSONA].mobile)
        if self.staff.call("GET", "/staff/reviews").status_code == 401:
            staff_login(self.staff, self.scenario)


def seeded(generated: Any, modulo: int = 2) -> bool:
    """A choice made from the generated value itself: reproducible with the seed, and
    both branches are taken across a run (``zlib.crc32``: ``hash()`` is salted per process)."""
    return zlib.crc32(repr(generated).encode()) % modulo == 0


def personalise(case: Any, world: FuzzWorld) -> None:
    """Aim a generated case at this world: a real order number half the time, a valid
    bearer token three times out of four (the rest keep the generated header)."""
    params = case.path_parameters or {}
    purpose = world.purpose(case.path)
    if "order_no" in params and seeded(params["order_no"]):
        params["order_no"] = world.orders[purpose]
    if "document_id" in params and seeded(params["document_id"]):
        params["document_id"] = world.documents.get(purpose, params["document_id"])
    headers = dict(case.headers or {})
    generated = next((k for k in headers if k.lower() == "authorization"), None)
    if generated is None or not seeded(headers[generated], 4):
        headers.pop(generated or "", None)
        headers["Authorization"] = f"Bearer {world.token_for(case.path)}"
    case.headers = headers


def staff_login(api: Api, scenario: Scenario) -> None:
    staff = scenario.staff[0]
    api.token = str(api.ok("POST", "/staff/login", json={
        "username": staff.username, "password": staff.password})["token"])


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 400), (236, 240, 246)).save(out, format="JPEG")
    return out.getvalue()


def upload(api: Api, order_no: str, slot: str) -> int:
    answer = api.ok("POST", f"/orders/{order_no}/documents/{slot}",
                    files={"file": (f"{slot}.jpg", jpeg(), "image/jpeg")})
    return int(answer["id"])


def open_orders(world: FuzzWorld) -> None:
    api, scenario = world.applicant, world.scenario

    def open_order(persona: str, mode: str) -> str:
        body = {"certificate_serial": scenario.certificate(persona).serial_hex, "mode": mode}
        return str(api.ok("POST", "/orders", json=body)["order_no"])

    world.orders = {"realtime": open_order("natural", "realtime"),
                    "org": open_order("org", "realtime"),
                    "manual": open_order("org_personal", "manual"),
                    "review": open_order("natural_pkcs11", "manual")}
    world.documents["manual"] = upload(api, world.orders["manual"], "id_scan")
    review, holder = world.orders["review"], scenario.people[APPLICANT_PERSONA]
    api.ok("PUT", f"/orders/{review}/manual/form", json={
        "applicant_name": holder.name, "applicant_id_number": holder.id_number,
        "applicant_mobile": holder.mobile})
    world.documents["review"] = upload(api, review, "id_scan")
    upload(api, review, "id_in_hand")
    api.ok("POST", f"/orders/{review}/manual/submit")


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
        staff_login(staff, scenario)
        world = FuzzWorld(app, clock, scenario, applicant, staff)
        open_orders(world)
        yield world
    finally:
        applicant.close()
        staff.close()
        host.mount(None)
        app.state.ctx.db.dispose()
