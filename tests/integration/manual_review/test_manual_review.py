"""ORG-MR-9 / PER-MR-7 from the reviewer's side: the queue by deadline, reasons, one
decision per round, the approval SMS, and the deadline the applicant is shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from mr_flows import Applicant, Reviewer, org_form, personal_form, ready_to_submit

from emulator.personas import Scenario
from emulator.testing.api import Api, biz_token
from emulator.testing.clock import TestClock


def submit_personal(api: Api, scenario: Scenario, persona: str, holder: str) -> str:
    api.login(scenario.people[holder].mobile)
    me = Applicant(api)
    order_no = me.open(scenario.certificate(persona))
    me.fill(order_no, personal_form(scenario.people[holder]))
    ready_to_submit(me, order_no, ("id_scan", "id_in_hand"))
    me.submit(order_no)
    return order_no


def test_the_queue_lists_waiting_orders_by_deadline(api_factory: Callable[[], Api],
                                                    scenario: Scenario, clock: TestClock) -> None:
    clock.now = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Thursday
    first = submit_personal(api_factory(), scenario, "natural", "citizen")
    clock.advance(days=1)  # Friday: one working day later
    second = submit_personal(api_factory(), scenario, "org_personal", "employee")
    staff = Reviewer(api_factory())
    queue = staff.queue()
    assert [o["order_no"] for o in queue] == [first, second]
    assert [o["deadline"]["due_date"] for o in queue] == ["2026-12-01", "2026-12-02"]
    assert queue[1]["holder_name"] == scenario.people["employee"].name
    assert not any(o["overdue"] for o in queue)
    clock.advance(days=5)
    staff = Reviewer(api_factory())  # the earlier staff session has expired meanwhile
    assert staff.queue()[0]["overdue"]

    staff.approve(first)
    assert [o["order_no"] for o in staff.queue()] == [second]
    error = staff.api.error("POST", f"/staff/reviews/{first}/reject", 409,
                            json={"reason_codes": ["OTHER"], "detail": "迟到的驳回"})
    assert "审核通过" in error["message"]
    assert staff.api.error("POST", f"/staff/reviews/{first}/approve", 409, json={})


@pytest.mark.parametrize(("codes", "detail", "code", "field"), [
    ([], None, "review.reason_required", "reason_code"),
    (["OTHER"], None, "review.detail_required", "detail"),
    (["NO_SUCH_REASON"], None, "review.reason_unknown", "reason_code"),
    (["FORM_NO_SEAL"], None, "review.reason_not_applicable", "reason_codes"),  # an ORG reason
])
def test_a_rejection_needs_a_fitting_reason(api_factory: Callable[[], Api], scenario: Scenario,
                                            codes: list[str], detail: str | None, code: str,
                                            field: str) -> None:
    order_no = submit_personal(api_factory(), scenario, "natural", "citizen")
    staff = Reviewer(api_factory())
    error = staff.api.error("POST", f"/staff/reviews/{order_no}/reject", 422,
                            json={"reason_codes": codes, "detail": detail})
    assert (error["code"], error["field"]) == (code, field)
    assert staff.open(order_no)["order"]["state"] == "submitted"


def test_reviewer_sees_the_reasons_for_the_kind(api_factory: Callable[[], Api],
                                                scenario: Scenario) -> None:
    order_no = submit_personal(api_factory(), scenario, "org_personal", "employee")
    detail = Reviewer(api_factory()).open(order_no)
    codes = [r["code"] for r in detail["reasons"]]
    assert "ID_SCAN_NO_SEAL" in codes and "FORM_NO_SEAL" not in codes
    assert detail["owner_mobile_masked"].endswith(scenario.people["employee"].mobile[-4:])
    assert detail["fields"]["applicant_id_number"] == scenario.people["employee"].id_number


def test_an_approval_stands_when_the_sms_cannot_be_sent(api_factory: Callable[[], Api],
                                                       scenario: Scenario) -> None:
    order_no = submit_personal(api_factory(), scenario, "natural", "citizen")
    staff = Reviewer(api_factory())
    staff.api.control.fault("sms", "http_5xx")
    decision = staff.approve(order_no)
    assert decision["order"]["state"] == "approved"
    assert decision["notification"]["sent"] is False and decision["notification"]["error"]
    assert staff.open(order_no)["order"]["state"] == "approved"


def test_deadline_before_the_national_day_holiday(api: Api, scenario: Scenario,
                                                  clock: TestClock) -> None:
    """Tuesday 2026-09-29, 10:00 in Shenzhen: 09-30, then 国庆 10-01..07, 10-08, 10-09."""
    clock.now = datetime(2026, 9, 29, 2, 0, tzinfo=UTC)
    order_no = submit_personal(api, scenario, "natural", "citizen")
    page = Applicant(api).page(order_no)
    assert page["deadline"]["due_date"] == "2026-10-09"
    assert page["deadline"]["estimated"] is False
    assert page["deadline"]["text"] == "深圳CA将在2026年10月09日前（三个工作日内）完成审核"
    assert page["order"]["review_deadline"].startswith("2026-10-09T15:59:59")  # UTC


def test_deadline_beyond_the_holiday_data_is_estimated_not_refused(api: Api,
                                                                  scenario: Scenario,
                                                                  clock: TestClock) -> None:
    clock.now = datetime(2027, 3, 5, 2, 0, tzinfo=UTC)  # a Friday in a year without data
    order_no = submit_personal(api, scenario, "natural", "citizen")
    page = Applicant(api).page(order_no)
    assert page["order"]["state"] == "submitted"
    assert page["deadline"]["due_date"] == "2027-03-10" and page["deadline"]["estimated"]
    assert "估算" in page["deadline"]["text"]


def test_the_operator_face_is_needed_again_after_the_operator_changes(
        api: Api, scenario: Scenario) -> None:
    company = scenario.companies["pengcheng"]
    api.login(company.operator.mobile)
    me = Applicant(api)
    order_no = me.open(scenario.certificate("org"))
    me.fill(order_no, org_form(company))
    ready_to_submit(me, order_no, ("application_form", "business_licence"))

    started = api.ok("POST", f"/orders/{order_no}/manual/face")
    api.control.face_complete(biz_token(started["url"]), "liveness_fail")
    failed = api.ok("GET", f"/orders/{order_no}/manual/face")
    assert failed["status"] == "failed" and "活体检测未通过" in failed["message"]
    error = api.error("POST", f"/orders/{order_no}/manual/submit", 409)
    assert error["code"] == "submit.incomplete" and "经办人人脸验证" in error["message"]

    me.pass_face(order_no)
    assert me.page(order_no)["can_submit"]
    legal_rep = company.legal_rep  # another person becomes the operator
    page = me.fill(order_no, org_form(company, operator_name=legal_rep.name,
                                      operator_id_number=legal_rep.id_number))
    assert page["face"]["status"] == "none" and page["missing"] == ["完成经办人人脸验证"]
