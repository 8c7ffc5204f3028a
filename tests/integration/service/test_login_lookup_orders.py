"""C-1..C-3 against the real SMS mock: login, agreements, certificate lookup, orders."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from emulator.personas import Scenario
from emulator.testing.api import Api

ORG = "5A1C0E2B7D3F0001"  # the organisation certificate of emulator/scenarios/default.yaml


def test_agreements_must_be_accepted_before_lookup(api: Api, scenario: Scenario) -> None:
    mobile = scenario.people["operator"].mobile
    api.ok("POST", "/auth/sms-code", json={"mobile": mobile})
    sms = api.control.last_sms(mobile)
    assert sms.template_id == "1000001"
    token = api.ok("POST", "/auth/login",
                   json={"mobile": mobile, "code": api.sms_code(mobile)})["token"]
    api.token = token
    refused = api.error("GET", f"/certificates/{ORG}", 400)
    assert refused["code"] == "agreements_required"
    assert "《电子认证服务协议》" in refused["message"]
    partial = api.error("POST", "/agreements/accept", 400, json={"agreements": [
        {"id": "esign_service", "version": "2025.1"}]})
    assert "《个人信息授权书》" in partial["message"]
    guide = api.ok("GET", "/unlock/guide")
    assert [a["title"] for a in guide["agreements"]] == [
        "《电子认证服务协议》", "《个人信息授权书》", "《敏感个人信息授权书》"]
    accepted = api.ok("POST", "/agreements/accept", json={"agreements": [
        {"id": a["id"], "version": a["version"]} for a in guide["agreements"]]})
    assert all(a["accepted_at"] for a in accepted["accepted"])
    assert api.ok("GET", "/auth/me")["agreements_accepted"] is True
    assert api.ok("GET", f"/certificates/{ORG}")["kind_label"] == "机构证书"


def test_lookup_shows_the_certificate_and_refuses_bad_ones(api: Api, scenario: Scenario) -> None:
    api.login(scenario.people["operator"].mobile)
    serial = scenario.certificate("org_personal").serial_hex
    typed = ":".join(serial[i:i + 2] for i in range(0, len(serial), 2)).lower()
    cert = api.ok("GET", f"/certificates/{typed}")
    assert cert["holder_name"] == "吴*萍"  # masked: anyone logged in may look up
    assert "吴泽萍" not in cert["subject_dn"]
    assert cert["type_label"] == "机构个人证书"
    assert cert["subject_dn"].startswith("CN=")
    assert cert["not_after"] > cert["not_before"]
    unknown = api.error("GET", "/certificates/ABCDEF0123", 404)
    assert "未找到该证书" in unknown["message"]
    revoked = api.error("GET", f"/certificates/{scenario.certificate('revoked').serial_hex}", 422)
    assert "已吊销" in revoked["message"]
    expired = api.error("GET", f"/certificates/{scenario.certificate('expired').serial_hex}", 422)
    assert "过期" in expired["message"]
    assert api.error("GET", "/certificates/XYZ!", 422)["field"] == "certificate_serial"


def test_order_lifecycle_and_my_orders(api: Api, scenario: Scenario) -> None:
    api.login(scenario.people["operator"].mobile)
    order = api.ok("POST", "/orders", json={"certificate_serial": ORG,
                                            "mode": "realtime"})
    assert order["order_no"].startswith("JS")
    assert order["state"] == "draft"
    assert order["key_serial"] == scenario.certificate("org").key_serial
    assert order["progress"]["steps"] == ["解锁信息确认", "身份验证", "企业验证", "完成并解锁"]
    assert order["progress"]["current_label"] == "解锁信息确认"
    again = api.error("POST", "/orders", 409, json={"certificate_serial": ORG,
                                                    "mode": "manual"})
    assert order["order_no"] in again["message"]
    listed = api.ok("GET", "/orders")["orders"]
    assert [o["order_no"] for o in listed] == [order["order_no"]]
    cancelled = api.ok("POST", f"/orders/{order['order_no']}/cancel")
    assert cancelled["state"] == "cancelled"
    assert [h["event"] for h in cancelled["history"]] == ["cancel"]
    refused = api.error("POST", f"/orders/{order['order_no']}/cancel", 409)
    assert refused["code"] == "order.illegal_transition"
    assert api.error("GET", f"/orders/{order['order_no']}/result", 409)["code"] == "not_verified"


def test_unknown_mode_is_a_chinese_field_error(api: Api, scenario: Scenario) -> None:
    api.login(scenario.people["operator"].mobile)
    error = api.error("POST", "/orders", 422, json={"certificate_serial": ORG,
                                                    "mode": "instant"})
    assert error == {"code": "invalid_request", "message": "解锁方式的取值不正确",
                     "field": "mode"}


OWNER_ONLY_ROUTES = [
    ("GET", ""), ("POST", "/cancel"), ("GET", "/result"), ("GET", "/organisation"),
    ("POST", "/organisation"), ("GET", "/authorization-letter"),
    ("POST", "/authorization-letter/confirm"),
    ("POST", "/verifications/operator"), ("GET", "/verifications/operator"),
    ("POST", "/verifications/operator/code"), ("POST", "/verifications/operator/resend"),
    ("POST", "/unlock/authorise"), ("POST", "/unlock/confirm"),
    ("POST", "/unlock/so-pin/authorise"), ("POST", "/unlock/so-pin/confirm"),
]


def _body(suffix: str, scenario: Scenario) -> dict[str, str]:
    person = scenario.people["legal_rep"]
    return {
        "/organisation": {"legal_rep_name": person.name,
                          "legal_rep_id_number": person.id_number},
        "/authorization-letter/confirm": {"version": "x"},
        "/verifications/operator": {"method": "carrier", "name": person.name,
                                    "id_number": person.id_number, "mobile": person.mobile},
        "/verifications/operator/code": {"code": "123456"},
        "/unlock/authorise": {"key_serial": "SZ2025000001", "certificate_serial": ORG,
                              "challenge": "00" * 16},
        "/unlock/confirm": {"authorisation_id": "x" * 32, "receipt": "00" * 16},
        "/unlock/so-pin/authorise": {"key_serial": "SZ2025000001", "certificate_serial": ORG},
        "/unlock/so-pin/confirm": {"authorisation_id": "x" * 32, "token_serial": "SZ1"},
    }.get(suffix, {})


@pytest.mark.parametrize(("method", "suffix"), OWNER_ONLY_ROUTES,
                         ids=[f"{m} {s or '/'}" for m, s in OWNER_ONLY_ROUTES])
def test_another_login_gets_404_on_the_order(api_factory: Callable[[], Api],
                                            scenario: Scenario, method: str,
                                            suffix: str) -> None:
    owner, stranger = api_factory(), api_factory()
    owner.login(scenario.people["operator"].mobile)
    order_no = owner.ok("POST", "/orders", json={"certificate_serial": ORG,
                                                 "mode": "realtime"})["order_no"]
    stranger.login(scenario.people["citizen"].mobile)
    kwargs = {"json": _body(suffix, scenario)} if method == "POST" and _body(
        suffix, scenario) else {}
    error = stranger.error(method, f"/orders/{order_no}{suffix}", 404, **kwargs)
    assert error["message"] == "未找到该业务单"
    assert stranger.ok("GET", "/orders")["orders"] == []
    order = owner.order(order_no)
    assert order["state"] == "draft" and order["history"] == []
