"""What the fuzzers found, one regression test each (docs/decisions/service.md, Fuzzing):
each of these answered 500, hung, or broke the error envelope before its fix."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import httpx
import pytest

from emulator.mock_providers.client import ProviderControl
from emulator.mock_providers.deposit.auth import signed_headers
from emulator.mock_providers.server import ProviderServer
from emulator.personas import Scenario, provider_records
from emulator.testing.api import Api
from szca_unlock.config import ProviderEndpoints

TOO_BIG_ID = 2**63  # one past SQLite's largest INTEGER
JSON = {"Content-Type": "application/json"}


# -- the service ---------------------------------------------------------------------------

@pytest.fixture
def manual_order(api: Api, scenario: Scenario) -> str:
    api.login(scenario.people["citizen"].mobile)
    return str(api.ok("POST", "/orders", json={
        "certificate_serial": scenario.certificate("org_personal").serial_hex,
        "mode": "manual"})["order_no"])


@pytest.mark.parametrize("method,suffix", [("GET", ""), ("GET", "/preview"), ("DELETE", "")])
def test_a_document_number_beyond_sql_range_is_refused_not_a_500(
        api: Api, manual_order: str, method: str, suffix: str) -> None:
    error = api.error(method, f"/orders/{manual_order}/documents/{TOO_BIG_ID}{suffix}", 422)
    assert error == {"code": "invalid_request", "message": "文件编号超出允许范围",
                     "field": "document_id"}


def test_staff_document_routes_refuse_a_number_beyond_sql_range(
        api_factory: Callable[[], Api], manual_order: str, scenario: Scenario) -> None:
    staff = api_factory()
    reviewer = scenario.staff[0]
    staff.token = staff.ok("POST", "/staff/login", json={
        "username": reviewer.username, "password": reviewer.password})["token"]
    for suffix in ("", "/preview"):
        error = staff.error("GET", f"/staff/reviews/{manual_order}/documents/{TOO_BIG_ID}{suffix}",
                            422)
        assert error["field"] == "document_id"


def test_a_body_that_cannot_be_parsed_gets_a_chinese_message_saying_so(api: Api) -> None:
    answer = api.client.post("/api/auth/sms-code", content=b'j\x1d\xff\xfet', headers=JSON)
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"] == {"code": "invalid_request",
                                      "message": "提交的内容无法解析，请检查格式后重新提交"}


# -- the mock providers' control and deposit APIs --------------------------------------------

@pytest.fixture
def mock(mock_providers_server: ProviderServer, mock_providers: ProviderControl,
         scenario: Scenario) -> Iterator[httpx.Client]:
    mock_providers.seed(provider_records(scenario))
    with httpx.Client(base_url=mock_providers_server.base_url, timeout=10) as client:
        yield client


def create_deposit(mock: httpx.Client, scenario: Scenario) -> httpx.Response:
    company = scenario.companies["pengcheng"]
    account = company.account
    body = json.dumps({"company_name": company.name,
                       "bank_name": account.bank, "branch_name": account.branch,
                       "account_number": account.account_no}).encode()
    endpoints = ProviderEndpoints()
    path = "/deposit/v1/verifications"
    headers = signed_headers(endpoints.deposit_key_id, endpoints.deposit_secret, "POST", path,
                             body)
    return mock.post(path, content=body, headers={**headers, **JSON})


@pytest.mark.parametrize("advance_s", [1e300, -1e300])
def test_a_clock_jump_out_of_the_calendar_is_refused_and_the_mock_keeps_working(
        mock: httpx.Client, scenario: Scenario, advance_s: float) -> None:
    answer = mock.post("/_control/clock", json={"advance_s": advance_s})
    assert answer.status_code == 422 and "9999" in answer.json()["detail"]
    assert create_deposit(mock, scenario).status_code == 201


@pytest.mark.parametrize("body", [b'{"advance_s": NaN}', b'{"advance_s": Infinity}',
                                  b'{"provider": "sms", "kind": "latency", "rate": NaN}'])
def test_nan_and_infinity_get_a_422_that_names_the_field(mock: httpx.Client,
                                                        body: bytes) -> None:
    path = "/_control/clock" if b"advance_s" in body else "/_control/faults"
    answer = mock.post(path, content=body, headers=JSON)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"][-1] in ("advance_s", "rate")


def test_a_latency_fault_longer_than_ten_minutes_is_refused(mock: httpx.Client) -> None:
    answer = mock.post("/_control/faults", json={"provider": "deposit", "kind": "latency",
                                                 "latency_ms": 10**30})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"][-1] == "latency_ms"


def test_a_deposit_body_that_is_not_json_answers_the_deposit_envelope(
        mock: httpx.Client) -> None:
    answer = mock.post("/deposit/v1/verifications", content=b'j\x1d\xff\xfet', headers=JSON)
    assert answer.status_code == 400
    assert answer.json() == {"error": {"code": "BAD_REQUEST", "message": "请求体不是有效的 JSON"}}


@pytest.mark.parametrize("path", ["/_control/face/no-such-token/complete",
                                  "/_control/deposit/no-such-id/settle"])
def test_a_control_body_that_is_not_json_is_a_422_not_a_500(mock: httpx.Client,
                                                           path: str) -> None:
    answer = mock.post(path, content=b"outcome=pass", headers={"Content-Type": "text/plain"})
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["input"] == "outcome=pass"


@pytest.mark.parametrize("advance_s", [False, True, "5"])
def test_a_clock_advance_must_be_a_number(mock: httpx.Client, advance_s: object) -> None:
    before = mock.get("/_control/clock").json()["now"]
    answer = mock.post("/_control/clock", json={"advance_s": advance_s})
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"][-1] == "advance_s"
    assert mock.get("/_control/clock").json()["now"] == pytest.approx(before, abs=5)
