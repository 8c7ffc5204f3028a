"""Reports name requests by flow step and route; only documented 429s count as designed."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from load.transport import LocustTransport, failure_of, persona_address, route_template


def test_identifiers_become_placeholders() -> None:
    assert route_template("/api/orders/JS202611260001/verifications/identity") == \
        "/api/orders/{no}/verifications/identity"
    assert route_template("/api/certificates/7E00000000000001") == "/api/certificates/{serial}"
    assert route_template("/api/orders") == "/api/orders"
    assert route_template("/api/orders?page=2") == "/api/orders"


def _response(status: int, body: Any) -> httpx.Response:
    return httpx.Response(status, json=body)


def test_a_rate_limit_with_a_chinese_message_is_designed() -> None:
    failure = failure_of(_response(429, {"error": {"code": "rate_limited",
                                                   "message": "操作过于频繁，请60秒后再试"}}))
    assert failure is not None and failure.designed
    assert "[designed]" in str(failure)


@pytest.mark.parametrize(("status", "body"), [
    (429, {"error": {"code": "rate_limited", "message": "too many"}}),  # no Chinese message
    (429, {"detail": "x"}),
    (500, {"error": {"code": "internal", "message": "系统繁忙"}}),
    (409, {"error": {"code": "order.illegal_transition", "message": "状态不允许"}}),
])
def test_anything_else_is_a_real_failure(status: int, body: Any) -> None:
    failure = failure_of(_response(status, body))
    assert failure is not None and not failure.designed and f"HTTP {status}" in str(failure)


def test_success_is_no_failure() -> None:
    assert failure_of(_response(201, {"order_no": "JS1"})) is None


def test_each_persona_has_its_own_loopback_address() -> None:
    addresses = {persona_address(i) for i in range(70000)}
    assert len(addresses) == 70000
    assert all(a.startswith("127.") for a in addresses)
    with pytest.raises(ValueError):
        persona_address(-1)


def test_the_transport_reports_each_exchange_under_the_current_step() -> None:
    fired: list[dict[str, Any]] = []
    transport = LocustTransport(lambda **kw: fired.append(kw))
    transport._inner = httpx.MockTransport(  # the network part only
        lambda request: httpx.Response(429, json={"error": {
            "code": "otp.resend_too_soon", "message": "请60秒后再获取验证码"}}))
    with httpx.Client(base_url="http://127.0.0.1", transport=transport) as client:
        with transport.at_step("C-1"):
            client.post("/api/auth/sms-code", json={"mobile": "13800000000"})
        client.get("/api/orders/JS1")
    assert [f["name"] for f in fired] == ["C-1 /api/auth/sms-code", "- /api/orders/{no}"]
    assert fired[0]["request_type"] == "POST" and fired[0]["exception"].designed
