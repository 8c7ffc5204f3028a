"""C-1 SMS login over the API: codes, limits, sessions, errors in Chinese."""

from __future__ import annotations

from fastapi.testclient import TestClient

MOBILE = "13800138000"


def login(client: TestClient, providers, mobile: str = MOBILE) -> str:  # type: ignore[no-untyped-def]
    assert client.post("/api/auth/sms-code", json={"mobile": mobile}).status_code == 202
    code = providers.sms.last_code(mobile)
    answer = client.post("/api/auth/login", json={"mobile": mobile, "code": code})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["token"])


def test_login_then_me(client: TestClient, providers) -> None:  # type: ignore[no-untyped-def]
    token = login(client, providers)
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["mobile_masked"] == "*******8000"
    assert me.json()["agreements_accepted"] is False


def test_wrong_code_counts_and_locks_with_help(client: TestClient, providers) -> None:  # type: ignore[no-untyped-def]
    client.post("/api/auth/sms-code", json={"mobile": MOBILE})
    code = providers.sms.last_code(MOBILE)
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        answer = client.post("/api/auth/login", json={"mobile": MOBILE, "code": wrong})
        assert answer.status_code == 400
        assert f"还可尝试{left}次" in answer.json()["error"]["message"]
    last = client.post("/api/auth/login", json={"mobile": MOBILE, "code": wrong}).json()
    assert last["error"]["code"] == "otp.exhausted"
    assert "400-112-3838" in last["error"]["help"]
    after = client.post("/api/auth/login", json={"mobile": MOBILE, "code": code})
    assert after.json()["error"]["code"] == "otp.exhausted"


def test_resend_interval_is_429_with_retry_after(client: TestClient, clock) -> None:  # type: ignore[no-untyped-def]
    assert client.post("/api/auth/sms-code", json={"mobile": MOBILE}).status_code == 202
    clock.advance(seconds=15)
    answer = client.post("/api/auth/sms-code", json={"mobile": MOBILE})
    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "45"
    assert "45秒" in answer.json()["error"]["message"]
    clock.advance(seconds=45)
    assert client.post("/api/auth/sms-code", json={"mobile": MOBILE}).status_code == 202


def test_expired_code_refused(client: TestClient, providers, clock) -> None:  # type: ignore[no-untyped-def]
    client.post("/api/auth/sms-code", json={"mobile": MOBILE})
    code = providers.sms.last_code(MOBILE)
    clock.advance(minutes=5)
    answer = client.post("/api/auth/login", json={"mobile": MOBILE, "code": code})
    assert answer.json()["error"]["code"] == "otp.expired"


def test_session_idle_and_absolute_expiry(client: TestClient, providers, clock) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {login(client, providers)}"}
    for _ in range(16):  # active every 29 minutes: stays logged in up to 8 h
        clock.advance(minutes=29)
        assert client.get("/api/auth/me", headers=headers).status_code == 200
    clock.advance(minutes=29)  # 8 h 13 min after login
    answer = client.get("/api/auth/me", headers=headers)
    assert answer.status_code == 401
    assert answer.json()["error"]["message"] == "登录已过期，请重新登录"
    idle = {"Authorization": f"Bearer {login(client, providers, '13900139000')}"}
    clock.advance(minutes=31)
    assert client.get("/api/auth/me", headers=idle).status_code == 401


def test_logout_kills_the_token(client: TestClient, providers) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {login(client, providers)}"}
    assert client.post("/api/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/auth/me", headers=headers).status_code == 401


def test_validation_errors_are_chinese_and_name_the_field(client: TestClient) -> None:
    missing = client.post("/api/auth/sms-code", json={})
    assert missing.status_code == 422
    assert missing.json()["error"] == {"code": "invalid_request", "message": "请填写手机号",
                                       "field": "mobile"}
    bad = client.post("/api/auth/sms-code", json={"mobile": "12345"})
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "mobile"
    assert "手机号码格式不正确" in bad.json()["error"]["message"]
    junk = client.post("/api/auth/login", content=b"{not json",
                       headers={"Content-Type": "application/json"})
    assert junk.status_code == 422


def test_no_login_is_401_in_chinese(client: TestClient) -> None:
    answer = client.get("/api/auth/me")
    assert answer.status_code == 401
    assert answer.json()["error"]["message"] == "请先登录网上营业厅"
    assert client.get("/api/nope").json()["error"]["message"] == "请求的页面不存在"
