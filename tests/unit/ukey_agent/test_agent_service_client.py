"""The HTTP client speaks the documented routes and turns refusals into typed errors
that carry the service's own Chinese message."""

from __future__ import annotations

import json

import httpx
import pytest
from agent_answers import order_answer

from szca_unlock.api.errors import (
    ApiConflict,
    ApiDataConflict,
    ApiError,
    ApiNotFound,
    ApiUnauthorized,
    ApiUnavailable,
)
from szca_unlock.client.unlock import HttpUnlockServiceClient


def _client(handler) -> tuple[HttpUnlockServiceClient, list[httpx.Request]]:  # type: ignore[no-untyped-def]
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    client = HttpUnlockServiceClient("http://svc.test/", "tok-123",
                                     transport=httpx.MockTransport(record))
    return client, seen


_GRANTS = {
    "/api/orders/O-7/unlock/authorise": {"authorisation_id": "a1", "cryptogram": "00" * 16,
                                         "expires_at": "2026-11-26T09:05:00Z"},
    "/api/orders/O-7/unlock/so-pin/authorise": {
        "authorisation_id": "a2", "so_pin": "12345678", "new_so_pin": "87654321",
        "expires_at": "2026-11-26T09:05:00Z"},
}


def _documented_answer(request: httpx.Request) -> httpx.Response:
    done = order_answer("O-7").model_dump(mode="json")
    return httpx.Response(200, json=_GRANTS.get(request.url.path, done))


def test_the_routes_get_the_documented_bodies_and_answer_typed_models() -> None:
    client, seen = _client(_documented_answer)
    granted = client.authorise("O-7", "SZ01", "1A2B", "ff" * 16)
    assert (granted.authorisation_id, granted.cryptogram) == ("a1", "00" * 16)
    assert client.confirm("O-7", "a1", "ee" * 16).state == "completed"
    assert client.reconcile("O-7", "SZ01", "ff" * 16, "ee" * 16).order_no == "O-7"
    so_pin = client.authorise_so_pin("O-7", "TOK1", "1A2B")
    assert (so_pin.so_pin, so_pin.new_so_pin) == ("12345678", "87654321")
    assert client.confirm_so_pin("O-7", "a2", "TOK1").state_label == "已完成"
    assert [(r.method, r.url.path) for r in seen] == [
        ("POST", "/api/orders/O-7/unlock/authorise"),
        ("POST", "/api/orders/O-7/unlock/confirm"),
        ("POST", "/api/orders/O-7/unlock/reconcile"),
        ("POST", "/api/orders/O-7/unlock/so-pin/authorise"),
        ("POST", "/api/orders/O-7/unlock/so-pin/confirm"),
    ]
    assert all(r.headers["Authorization"] == "Bearer tok-123" for r in seen)
    assert json.loads(seen[0].content) == {"key_serial": "SZ01", "certificate_serial": "1A2B",
                                           "challenge": "ff" * 16}
    assert json.loads(seen[1].content) == {"authorisation_id": "a1", "receipt": "ee" * 16}
    assert json.loads(seen[2].content) == {"key_serial": "SZ01", "challenge": "ff" * 16,
                                           "receipt": "ee" * 16}
    assert json.loads(seen[4].content) == {"authorisation_id": "a2", "token_serial": "TOK1"}


@pytest.mark.parametrize(("status", "body", "cls", "message"), [
    (409, {"code": "unlock.key_mismatch", "message": "数据冲突：请刷新网页", "field": "key_serial"},
     ApiDataConflict, "数据冲突：请刷新网页"),
    (409, {"error": {"code": "data_conflict", "message": "数据冲突：请刷新网页后重新操作",
                     "field": "key_serial", "help": "客服热线 400-112-3838"}},
     ApiDataConflict, "数据冲突：请刷新网页后重新操作"),
    # a 409 that is not C-6 (the order is not verified yet) keeps the service's message
    (409, {"error": {"code": "order.illegal_transition",
                     "message": "业务单当前状态为「已创建」，不能解锁"}},
     ApiConflict, "业务单当前状态为「已创建」，不能解锁"),
    (409, {"detail": {"code": "x", "message": "冲突"}}, ApiConflict, "冲突"),
    (404, {"detail": "业务单不存在"}, ApiNotFound, "业务单不存在"),
    (401, {}, ApiUnauthorized, "登录已失效，请重新登录网厅"),
    (422, {"detail": [{"type": "missing", "msg": "Field required"}]}, ApiError,
     "Field required"),
    (503, "not json", ApiUnavailable, "网厅服务暂时不可用，请稍后重试"),
])
def test_refusals_become_typed_errors(status: int, body: object, cls: type, message: str) -> None:
    def respond(_: httpx.Request) -> httpx.Response:
        if isinstance(body, str):
            return httpx.Response(status, text=body)
        return httpx.Response(status, json=body)

    client, _ = _client(respond)
    with pytest.raises(cls) as err:
        client.authorise("O-7", "SZ01", "1A2B", "ff" * 16)
    assert type(err.value) is cls and err.value.status == status
    assert err.value.message == message


def test_the_service_envelope_keeps_code_field_and_help() -> None:
    client, _ = _client(lambda r: httpx.Response(409, json={"error": {
        "code": "data_conflict", "message": "数据冲突", "field": "certificate_serial",
        "help": "如需帮助请联系深圳CA客服热线 400-112-3838"}}))
    with pytest.raises(ApiDataConflict) as err:
        client.authorise("O-7", "SZ01", "1A2B", "ff" * 16)
    assert (err.value.code, err.value.field) == ("data_conflict", "certificate_serial")
    assert "400-112-3838" in str(err.value)


def test_the_conflict_keeps_code_and_field() -> None:
    client, _ = _client(lambda r: httpx.Response(409, json={
        "code": "unlock.key_mismatch", "message": "数据冲突", "field": "key_serial"}))
    with pytest.raises(ApiDataConflict) as err:
        client.confirm("O-7", "a1", "ee" * 16)
    assert (err.value.code, err.value.field) == ("unlock.key_mismatch", "key_serial")


def test_an_unreachable_service_is_unavailable_with_no_status() -> None:
    def boom(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client, _ = _client(boom)
    with pytest.raises(ApiUnavailable) as err:
        client.confirm("O-7", "a1", "ee" * 16)
    assert err.value.status == 0


@pytest.mark.parametrize("body", [
    ["unexpected"],
    {"order_id": "O-7", "state": "completed"},  # not the documented OrderView
    {"authorisation_id": "a1"},  # a grant, not an order
    "not json",
])
def test_a_success_that_is_not_the_documented_answer_is_not_taken_as_success(
        body: object) -> None:
    def respond(_: httpx.Request) -> httpx.Response:
        if isinstance(body, str):
            return httpx.Response(200, text=body)
        return httpx.Response(200, json=body)

    client, _ = _client(respond)
    with pytest.raises(ApiUnavailable) as err:
        client.confirm("O-7", "a1", "ee" * 16)
    assert (err.value.status, err.value.code) == (200, "unreadable_answer")
    assert err.value.message == "网厅服务返回了无法识别的数据"


@pytest.mark.parametrize("path", sorted(_GRANTS))
def test_a_grant_missing_a_field_is_not_acted_on(path: str) -> None:
    """No cryptogram or no SO PIN: the agent never gets a grant to apply to the key."""
    incomplete = {k: v for k, v in _GRANTS[path].items() if k not in ("cryptogram", "so_pin")}
    client, _ = _client(lambda r: httpx.Response(200, json=incomplete))
    with pytest.raises(ApiUnavailable):
        if "so-pin" in path:
            client.authorise_so_pin("O-7", "TOK1", "1A2B")
        else:
            client.authorise("O-7", "SZ01", "1A2B", "ff" * 16)
