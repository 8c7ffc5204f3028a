"""The certificate helper answers the portal's pages only, and unlocks only under a
one-time ticket the service issued for that order and that page session."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from emulator.mock_providers.client import ProviderControl
from emulator.personas import Scenario
from emulator.testing.api import Api, Flows
from emulator.testing.clock import TestClock
from emulator.testing.portal import Portal
from szca_unlock.assistant import AssistantConfig, create_assistant_app
from szca_unlock.ukey.pcsc import PcscDriver

PORTAL = "http://127.0.0.1:8400"
PORT = 8410


@pytest.fixture
def helper() -> Iterator[TestClient]:
    app = create_assistant_app(AssistantConfig(PORTAL, PORTAL, PORT),
                               lambda: PcscDriver(reader_names=lambda: []))
    with TestClient(app, base_url=f"http://127.0.0.1:{PORT}") as client:
        yield client


UNLOCK = {"order_no": "JS202612030001", "ticket": "t" * 43, "new_pin": "Sz2026ok",
          "confirm_pin": "Sz2026ok"}


def test_the_portal_origin_gets_cors_and_an_answer(helper: TestClient) -> None:
    answer = helper.get("/v1/status", headers={"Origin": PORTAL})
    assert answer.status_code == 200
    assert answer.json()["name"] == "数字证书管理工具"
    assert answer.headers["access-control-allow-origin"] == PORTAL
    preflight = helper.options("/v1/unlock", headers={
        "Origin": PORTAL, "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == PORTAL


@pytest.mark.parametrize("origin", ["http://evil.example", "http://127.0.0.1:8401", "null"])
def test_another_origin_is_refused(helper: TestClient, origin: str) -> None:
    for answer in (helper.get("/v1/status", headers={"Origin": origin}),
                   helper.post("/v1/unlock", json=UNLOCK, headers={"Origin": origin}),
                   helper.options("/v1/unlock", headers={"Origin": origin})):
        assert answer.status_code == 403
        assert "access-control-allow-origin" not in answer.headers
        assert "只接受深圳CA网上营业厅" in answer.json()["error"]["message"]


def test_an_unlock_without_origin_is_refused(helper: TestClient) -> None:
    assert helper.post("/v1/unlock", json=UNLOCK).status_code == 403


@pytest.mark.parametrize("host", ["evil.example:8410", "127.0.0.1.nip.io:8410",
                                  "127.0.0.1:8411", "localhost"])
def test_a_wrong_host_is_refused_against_dns_rebinding(helper: TestClient, host: str) -> None:
    answer = helper.get("/v1/status", headers={"Host": host, "Origin": PORTAL})
    assert answer.status_code == 421
    assert answer.json()["error"]["code"] == "assistant.bad_host"


def test_an_unlock_without_a_ticket_is_refused(helper: TestClient) -> None:
    answer = helper.post("/v1/unlock", json={**UNLOCK, "ticket": ""},
                         headers={"Origin": PORTAL})
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "assistant.ticket_missing"


# --- tickets at the service ------------------------------------------------------------
def _page_session(portal: Portal, control: ProviderControl, mobile: str) -> httpx.Client:
    client = httpx.Client(base_url=portal.base_url, timeout=30)
    client.get("/login")
    token = client.cookies["szca_csrf"]
    client.post("/login/sms-code", data={"mobile": mobile, "csrf_token": token})
    code = re.search(r"验证码为(\d{6})", control.last_sms(mobile).text)
    assert code
    client.post("/login", data={"mobile": mobile, "code": code.group(1), "csrf_token": token})
    return client


def _ticket(page: httpx.Client, order_no: str) -> httpx.Response:
    return page.post(f"/orders/{order_no}/assistant-ticket",
                     headers={"X-CSRF-Token": page.cookies["szca_csrf"],
                              "Accept": "application/json"})


@pytest.fixture
def verified_order(portal: Portal, scenario: Scenario, mock_providers: ProviderControl,
                   clock: TestClock) -> Iterator[tuple[httpx.Client, str]]:
    """A page session whose natural-person order passed its check, and the order."""
    persona, holder = scenario.certificate("natural"), scenario.people["citizen"]
    api = Api(portal.base_url, mock_providers)
    api.login(holder.mobile)
    order_no = Flows(api).open(persona.serial_hex)
    Flows(api).verify(order_no, "identity", "carrier", holder)
    clock.advance(seconds=61)  # the next login code may be sent
    page = _page_session(portal, mock_providers, holder.mobile)
    yield page, order_no
    page.close()
    api.close()


def test_a_ticket_is_single_use_and_scoped_to_its_order(
        portal: Portal, verified_order: tuple[httpx.Client, str]) -> None:
    page, order_no = verified_order
    answer = _ticket(page, order_no)
    assert answer.status_code == 201, answer.text
    ticket = answer.json()["ticket"]
    with httpx.Client(base_url=portal.base_url) as helper:
        assert helper.post("/api/assistant/tickets/redeem",
                           json={"ticket": ticket, "order_no": "JS209901010001"}
                           ).json()["error"]["code"] == "assistant.ticket_invalid"
        first = helper.post("/api/assistant/tickets/redeem",
                            json={"ticket": ticket, "order_no": order_no})
        assert first.status_code == 200, first.text
        again = helper.post("/api/assistant/tickets/redeem",
                            json={"ticket": ticket, "order_no": order_no})
        assert again.status_code == 401
        assert again.json()["error"]["code"] == "assistant.ticket_used"
        token = first.json()["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}
        # The helper session reaches this order's unlock routes only.
        assert helper.get(f"/api/orders/{order_no}", headers=bearer).status_code == 403
        assert helper.get("/api/orders", headers=bearer).status_code == 403
        other = helper.post("/api/orders/JS209901010001/unlock/authorise", headers=bearer,
                            json={"key_serial": "X", "certificate_serial": "Y",
                                  "challenge": "00" * 16})
        assert other.status_code == 403
        mine = helper.post(f"/api/orders/{order_no}/unlock/authorise", headers=bearer,
                           json={"key_serial": "SZ-NOT-THE-KEY", "certificate_serial": "Y",
                                 "challenge": "00" * 16})
        assert mine.json()["error"]["code"] == "data_conflict"  # in scope: the rules apply


def test_a_ticket_needs_the_page_session_and_a_verified_order(
        portal: Portal, verified_order: tuple[httpx.Client, str]) -> None:
    page, order_no = verified_order
    ticket = _ticket(page, order_no).json()["ticket"]
    assert page.post("/logout", data={"csrf_token": page.cookies["szca_csrf"]}
                     ).status_code == 303
    with httpx.Client(base_url=portal.base_url) as helper:
        answer = helper.post("/api/assistant/tickets/redeem",
                             json={"ticket": ticket, "order_no": order_no})
    assert answer.json()["error"]["code"] == "assistant.session_ended"


def test_a_ticket_request_without_the_csrf_token_is_refused(
        verified_order: tuple[httpx.Client, str]) -> None:
    page, order_no = verified_order
    answer = page.post(f"/orders/{order_no}/assistant-ticket",
                       headers={"Accept": "application/json"})
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "csrf_failed"
