"""Who may reach what: an applicant never reaches a staff route (403) and never sees,
edits or unlocks another applicant's order (404, like a missing one); staff sessions do
not work on applicant routes; no session is 401."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from mr_flows import Applicant, Reviewer, jpeg, personal_form, ready_to_submit

from emulator.personas import Scenario
from emulator.testing.api import Api

JPEG = {"files": {"file": ("x.jpg", jpeg(), "image/jpeg")}}


def applicant_routes(order_no: str, doc_id: int, scenario: Scenario
                     ) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        ("GET", f"/orders/{order_no}", {}),
        ("GET", f"/orders/{order_no}/manual", {}),
        ("PUT", f"/orders/{order_no}/manual/form",
         {"json": personal_form(scenario.people["citizen"])}),
        ("GET", f"/orders/{order_no}/manual/application-form.pdf", {}),
        ("POST", f"/orders/{order_no}/manual/face", {}),
        ("GET", f"/orders/{order_no}/manual/face", {}),
        ("POST", f"/orders/{order_no}/manual/submit", {}),
        ("GET", f"/orders/{order_no}/documents", {}),
        ("POST", f"/orders/{order_no}/documents/id_scan", JPEG),
        ("GET", f"/orders/{order_no}/documents/{doc_id}", {}),
        ("GET", f"/orders/{order_no}/documents/{doc_id}/preview", {}),
        ("DELETE", f"/orders/{order_no}/documents/{doc_id}", {}),
        ("POST", f"/orders/{order_no}/unlock/authorise",
         {"json": {"key_serial": "SZ2025000003", "certificate_serial": "5A1C0E2B7D3F0003",
                   "challenge": "00" * 16}}),
    ]


def staff_routes(order_no: str, doc_id: int) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        ("GET", "/staff/reviews", {}),
        ("GET", "/staff/reasons?kind=natural", {}),
        ("GET", f"/staff/reviews/{order_no}", {}),
        ("GET", f"/staff/reviews/{order_no}/documents/{doc_id}", {}),
        ("GET", f"/staff/reviews/{order_no}/documents/{doc_id}/preview", {}),
        ("GET", f"/staff/reviews/{order_no}/application-form.pdf", {}),
        ("POST", f"/staff/reviews/{order_no}/approve", {"json": {}}),
        ("POST", f"/staff/reviews/{order_no}/reject",
         {"json": {"reason_codes": ["OTHER"], "detail": "x"}}),
    ]


@pytest.fixture
def submitted(api_factory: Callable[[], Api], scenario: Scenario) -> tuple[Api, str, int]:
    """The citizen's manual order with a document, submitted (so staff routes apply)."""
    owner = api_factory()
    owner.login(scenario.people["citizen"].mobile)
    me = Applicant(owner)
    order_no = me.open(scenario.certificate("natural"))
    me.fill(order_no, personal_form(scenario.people["citizen"]))
    ready_to_submit(me, order_no, ("id_scan", "id_in_hand"))
    doc_id = owner.ok("GET", f"/orders/{order_no}/documents")[0]["id"]
    me.submit(order_no)
    return owner, order_no, doc_id


def test_another_applicants_order_is_not_found_on_every_route(
        submitted: tuple[Api, str, int], api_factory: Callable[[], Api],
        scenario: Scenario) -> None:
    _, order_no, doc_id = submitted
    stranger = api_factory()
    stranger.login(scenario.people["doctor"].mobile)
    for method, path, kwargs in applicant_routes(order_no, doc_id, scenario):
        error = stranger.error(method, path, 404, **kwargs)
        assert error["code"] == "order.not_found", (method, path)
        assert error["message"] == "未找到该业务单"


def test_an_applicant_never_reaches_a_staff_route(submitted: tuple[Api, str, int]) -> None:
    owner, order_no, doc_id = submitted
    for method, path, kwargs in staff_routes(order_no, doc_id):
        error = owner.error(method, path, 403, **kwargs)
        assert error["code"] == "forbidden", (method, path)
    assert owner.order(order_no)["state"] == "submitted"  # nothing was decided


def test_staff_sessions_do_not_work_on_applicant_routes(
        submitted: tuple[Api, str, int], api_factory: Callable[[], Api],
        scenario: Scenario) -> None:
    _, order_no, doc_id = submitted
    staff = Reviewer(api_factory())
    for method, path, kwargs in applicant_routes(order_no, doc_id, scenario):
        assert staff.api.error(method, path, 403, **kwargs)["code"] == "forbidden"


def test_no_session_is_unauthenticated(submitted: tuple[Api, str, int],
                                       api_factory: Callable[[], Api],
                                       scenario: Scenario) -> None:
    _, order_no, doc_id = submitted
    anonymous = api_factory()
    for method, path, kwargs in [*staff_routes(order_no, doc_id),
                                 *applicant_routes(order_no, doc_id, scenario)]:
        assert anonymous.error(method, path, 401, **kwargs)["code"] == "unauthenticated"


@pytest.mark.parametrize(("username", "password"), [
    ("reviewer1", "wrong-password"), ("nobody", "Szca-Review-2026")])
def test_staff_login_refuses_bad_credentials_alike(api: Api, username: str,
                                                   password: str) -> None:
    error = api.error("POST", "/staff/login", 401,
                      json={"username": username, "password": password})
    assert (error["code"], error["message"]) == ("staff.bad_credentials", "用户名或密码错误")


def test_the_applicants_mobile_login_is_not_a_staff_login(api: Api, scenario: Scenario) -> None:
    api.login(scenario.people["citizen"].mobile)
    me = api.ok("GET", "/auth/me")
    assert me["role"] == "applicant"
    assert api.error("GET", "/staff/reviews", 403)["message"] == "仅限深圳CA审核人员访问"
