"""Nothing a client can send produces a 500: every API route gets malformed input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from szca_unlock.domain.rate_limit import Limit
from szca_unlock.service.context import RequestLimits

BAD_BODIES = [
    b"", b"{not json", b"[]", b"null", b'"text"', b"123",
    b'{"mobile": ["x"], "code": {"a": 1}}',
    b'{"certificate_serial": "' + b"A" * 5000 + b'", "mode": "x"}',
    '{"name": "\u0000\u202e", "id_number": "../../etc", "method": "face"}'.encode(),
    b'{"challenge": "zz", "key_serial": 1, "receipt": null}',
]
ORDER_NOS = ["JS202611260001", "../../x", "%00", "A" * 300]


def _paths(client: TestClient) -> list[tuple[str, str]]:
    routes = [r for r in client.app.routes if isinstance(r, APIRoute)]  # type: ignore[attr-defined]
    found = []
    for route in routes:
        for method in route.methods:
            found.append((method, route.path))
    return found


def _fill(path: str, value: str) -> str:
    return (path.replace("{order_no}", value).replace("{serial}", value)
            .replace("{step}", "operator"))


@pytest.mark.parametrize("authenticated", [False, True])
def test_no_route_answers_500_to_malformed_input(client: TestClient, providers,  # type: ignore[no-untyped-def]
                                                 authenticated: bool) -> None:
    # Per-address limits would answer 429 before the input is even looked at.
    ctx = client.app.state.ctx  # type: ignore[attr-defined]
    ctx.limits = RequestLimits(*(Limit(n, 10**6, timedelta(seconds=1))
                                 for n in ("sms_code", "login", "lookup", "verification")))
    headers = {}
    if authenticated:
        client.post("/api/auth/sms-code", json={"mobile": "13800138000"})
        code = providers.sms.last_code("13800138000")
        token = client.post("/api/auth/login",
                            json={"mobile": "13800138000", "code": code}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
    for method, path in _paths(client):
        for value in ORDER_NOS:
            url = _fill(path, value)
            bodies = BAD_BODIES if method == "POST" else [b""]
            for body in bodies:
                answer = client.request(method, url, content=body, headers={
                    **headers, "Content-Type": "application/json"})
                assert answer.status_code < 500, (method, url, body, answer.text)
                assert "error" in answer.json() or answer.status_code < 300
    for header in ("Bearer", "Basic abc", "Bearer " + "x" * 4000, "Bearer \x7f"):
        answer = client.get("/api/auth/me", headers={"Authorization": header})
        assert answer.status_code == 401
