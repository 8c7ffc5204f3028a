"""The failure paths of the real-time flows: each shows its message and the order stays
where it was (FAQ-1, wrong/expired codes, attempt limits with CS-1 help, resend interval,
identity not matching the CA's records, face and deposit failures, provider outage,
verification not reusable across orders)."""

from __future__ import annotations

import pytest

from emulator.personas import Scenario
from emulator.testing.api import Api, Flows, biz_token
from emulator.testing.clock import TestClock

CS_PHONE = "400-112-3838"


def start(api: Api, order_no: str, step: str, body: dict[str, str]) -> dict:
    return dict(api.ok("POST", f"/orders/{order_no}/verifications/{step}", json=body))


def personal_order(api: Api, scenario: Scenario, cert: str = "natural",
                   holder: str = "citizen") -> str:
    api.login(scenario.people[holder].mobile)
    return Flows(api).open(scenario.certificate(cert).serial_hex)


def org_order_at_operator_step(api: Api, scenario: Scenario) -> str:
    company = scenario.companies["pengcheng"]
    api.login(company.operator.mobile)
    return Flows(api).open_org(scenario.certificate("org").serial_hex, company.legal_rep)


def test_carrier_mismatch_says_faq1_and_order_stays(api: Api, scenario: Scenario) -> None:
    order_no = org_order_at_operator_step(api, scenario)
    operator = scenario.people["operator"]
    wrong_mobile = scenario.people["legal_rep"].mobile  # the carrier knows another owner
    error = api.error("POST", f"/orders/{order_no}/verifications/operator", 400, json={
        "method": "carrier", "name": operator.name, "id_number": operator.id_number,
        "mobile": wrong_mobile})
    assert error["code"] == "carrier_mismatch"
    assert "实名信息与您填写的姓名、身份证号不一致" in error["message"]
    assert "APP" in error["message"] and "先联系" in error["message"]
    assert operator.id_number not in str(error) and wrong_mobile not in str(error)
    order = api.order(order_no)
    assert order["state"] == "org_info_confirmed"
    assert order["verifications"][-1]["status"] == "failed"
    assert api.control.outbox(wrong_mobile) == []  # no code sent after a failed check


def test_no_carrier_record_has_its_own_message(api: Api, scenario: Scenario) -> None:
    holder = scenario.people["no_carrier_record"]
    order_no = personal_order(api, scenario, "no_carrier", "no_carrier_record")
    error = api.error("POST", f"/orders/{order_no}/verifications/identity", 400, json={
        "method": "carrier", "name": holder.name, "id_number": holder.id_number,
        "mobile": holder.mobile})
    assert error["code"] == "carrier_no_record"
    assert "未查询到" in error["message"]
    assert api.order(order_no)["state"] == "draft"


def test_wrong_codes_count_down_then_lock_with_help(api: Api, scenario: Scenario) -> None:
    holder = scenario.people["citizen"]
    order_no = personal_order(api, scenario)
    started = start(api, order_no, "identity", {
        "method": "carrier", "name": holder.name, "id_number": holder.id_number,
        "mobile": holder.mobile})
    assert started["verification"]["attempts_left"] == 5
    right = api.sms_code(holder.mobile)
    wrong = "000000" if right != "000000" else "111111"
    path = f"/orders/{order_no}/verifications/identity/code"
    for left in (4, 3, 2, 1):
        error = api.error("POST", path, 400, json={"code": wrong})
        assert f"还可尝试{left}次" in error["message"]
    locked = api.error("POST", path, 400, json={"code": wrong})
    assert locked["code"] == "otp.exhausted" and CS_PHONE in locked["help"]
    closed = api.error("POST", path, 409, json={"code": right})
    assert "重新发起验证" in closed["message"]
    assert api.order(order_no)["state"] == "draft"


def test_expired_code_and_resend_interval(api: Api, scenario: Scenario, clock: TestClock) -> None:
    holder = scenario.people["employee"]
    order_no = personal_order(api, scenario, "org_personal", "employee")
    start(api, order_no, "identity", {"method": "carrier", "name": holder.name,
                                      "id_number": holder.id_number, "mobile": holder.mobile})
    first = api.sms_code(holder.mobile)
    resend = f"/orders/{order_no}/verifications/identity/resend"
    clock.advance(seconds=20)
    answer = api.call("POST", resend)
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "40"
    assert "40秒" in answer.json()["error"]["message"]
    clock.advance(minutes=5)
    expired = api.error("POST", f"/orders/{order_no}/verifications/identity/code", 400,
                        json={"code": first})
    assert expired["code"] == "otp.expired"
    api.ok("POST", resend)
    fresh = api.sms_code(holder.mobile)
    done = api.ok("POST", f"/orders/{order_no}/verifications/identity/code",
                  json={"code": fresh})
    assert done["order"]["state"] == "verified"


def test_typed_identity_must_be_the_certificate_holder(api: Api, scenario: Scenario) -> None:
    other = scenario.people["employee"]
    order_no = personal_order(api, scenario)
    error = api.error("POST", f"/orders/{order_no}/verifications/identity", 400, json={
        "method": "face", "name": other.name, "id_number": other.id_number})
    assert error["code"] == "identity_mismatch" and error["field"] == "name"
    assert api.control.journal(provider="face") == []  # no provider was even asked
    assert api.order(order_no)["state"] == "draft"


def test_legal_rep_must_match_the_record(api: Api, scenario: Scenario) -> None:
    api.login(scenario.people["operator"].mobile)
    order_no = Flows(api).open(scenario.certificate("org").serial_hex)
    legal = scenario.people["legal_rep"]
    impostor = scenario.people["employee"]
    error = api.error("POST", f"/orders/{order_no}/organisation", 400, json={
        "legal_rep_name": legal.name, "legal_rep_id_number": impostor.id_number})
    assert error["field"] == "legal_rep_id_number"
    bad = api.error("POST", f"/orders/{order_no}/organisation", 422, json={
        "legal_rep_name": legal.name, "legal_rep_id_number": "440307198509144251"})
    assert "校验位" in bad["message"]
    assert api.order(order_no)["state"] == "draft"


def test_bank_reserved_mobile_mismatch(api: Api, scenario: Scenario) -> None:
    citizen = scenario.people["citizen"]  # the bank holds another (reserved) mobile
    order_no = personal_order(api, scenario)
    error = api.error("POST", f"/orders/{order_no}/verifications/identity", 400, json={
        "method": "bank", "name": citizen.name, "id_number": citizen.id_number,
        "bank_card": citizen.bank_card, "mobile": citizen.mobile})
    assert error["code"] == "bank_mobile_mismatch" and "预留" in error["message"]
    assert api.order(order_no)["state"] == "draft"


@pytest.mark.parametrize(("outcome", "words"), [("liveness_fail", "活体"),
                                                 ("face_mismatch", "比对未通过")])
def test_face_failure_is_shown_and_three_failures_bring_help(
        api: Api, scenario: Scenario, outcome: str, words: str) -> None:
    holder = scenario.people["citizen"]
    order_no = personal_order(api, scenario)
    body = {"method": "face", "name": holder.name, "id_number": holder.id_number}
    for attempt in range(1, 4):
        started = start(api, order_no, "identity", body)
        api.control.face_complete(biz_token(started["verification"]["face"]["url"]), outcome)
        polled = api.ok("GET", f"/orders/{order_no}/verifications/identity")
        assert polled["verification"]["status"] == "failed"
        assert words in polled["verification"]["message"]
        assert polled["order"]["state"] == "draft"
        assert len(polled["order"]["verifications"]) == attempt


def test_three_failures_add_customer_service_help(api: Api, scenario: Scenario) -> None:
    holder = scenario.people["citizen"]
    order_no = personal_order(api, scenario)
    body = {"method": "carrier", "name": holder.name, "id_number": holder.id_number,
            "mobile": scenario.people["doctor"].mobile}
    errors = [api.error("POST", f"/orders/{order_no}/verifications/identity", 400, json=body)
              for _ in range(3)]
    assert "help" not in errors[0] and "help" not in errors[1]
    assert CS_PHONE in errors[2]["help"] and "www.szca.com" in errors[2]["help"]


def test_deposit_wrong_code_then_exhausted(api: Api, scenario: Scenario) -> None:
    company = scenario.companies["pengcheng"]
    order_no = org_order_at_operator_step(api, scenario)
    Flows(api).verify(order_no, "operator", "carrier", company.operator)
    letter = api.ok("GET", f"/orders/{order_no}/authorization-letter")
    outdated = api.error("POST", f"/orders/{order_no}/authorization-letter/confirm", 400,
                         json={"version": "auth-letter-v0"})
    assert "已更新" in outdated["message"]
    api.ok("POST", f"/orders/{order_no}/authorization-letter/confirm",
           json={"version": letter["version"]})
    account = company.account
    start(api, order_no, "enterprise", {
        "method": "deposit", "name": company.legal_rep.name,
        "id_number": company.legal_rep.id_number, "bank_name": account.bank,
        "branch_name": account.branch, "account_number": account.account_no})
    right = api.control.deposit_code(account.account_no, order_no)
    wrong = "000000" if right != "000000" else "111111"
    path = f"/orders/{order_no}/verifications/enterprise/code"
    first = api.error("POST", path, 400, json={"code": wrong})
    assert "还可尝试2次" in first["message"]
    api.error("POST", path, 400, json={"code": wrong})
    last = api.call("POST", path, json={"code": wrong}).json()["error"]
    assert "重新发起" in last["message"] and CS_PHONE in last["help"]
    assert api.order(order_no)["state"] == "authorization_confirmed"


def test_provider_outage_is_503_in_chinese_and_nothing_moves(api: Api,
                                                            scenario: Scenario) -> None:
    holder = scenario.people["citizen"]
    order_no = personal_order(api, scenario)
    api.control.fail_next("carrier", "http_5xx", count=5)
    answer = api.call("POST", f"/orders/{order_no}/verifications/identity", json={
        "method": "carrier", "name": holder.name, "id_number": holder.id_number,
        "mobile": holder.mobile})
    assert answer.status_code == 503
    error = answer.json()["error"]
    assert "暂时不可用" in error["message"] and CS_PHONE in error["help"]
    order = api.order(order_no)
    assert order["state"] == "draft" and order["verifications"] == []


def test_a_pass_on_one_order_is_not_reusable_on_another(api: Api, scenario: Scenario) -> None:
    holder = scenario.people["citizen"]
    first = personal_order(api, scenario)
    Flows(api).verify(first, "identity", "carrier", holder)
    second = Flows(api).open(scenario.certificate("natural_pkcs11").serial_hex)
    error = api.error("POST", f"/orders/{second}/verifications/identity/code", 409,
                      json={"code": api.sms_code(holder.mobile)})
    assert "请先发起身份验证" in error["message"]
    refused = api.error("GET", f"/orders/{second}/result", 409)
    assert refused["code"] == "not_verified"
    assert api.order(second)["state"] == "draft"
