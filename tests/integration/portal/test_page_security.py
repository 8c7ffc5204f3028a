"""Safe page defaults: security headers and a strict CSP on every answer, CSRF on every
unsafe page request, the session in an HttpOnly cookie that the API does not accept."""

from __future__ import annotations

import re

import httpx
import pytest

from emulator.mock_providers.client import ProviderControl

MOBILE = "13800138000"


@pytest.fixture
def browser_like(service: str) -> httpx.Client:
    with httpx.Client(base_url=service, follow_redirects=False, timeout=30) as client:
        yield client


def _csrf(client: httpx.Client) -> str:
    client.get("/login")
    token = client.cookies.get("szca_csrf")
    assert token
    return token


def _log_in(client: httpx.Client, control: ProviderControl) -> None:
    token = _csrf(client)
    assert client.post("/login/sms-code", data={"mobile": MOBILE, "csrf_token": token}
                       ).status_code == 200
    code = re.search(r"验证码为(\d{6})", control.last_sms(MOBILE).text)
    assert code
    answer = client.post("/login", data={"mobile": MOBILE, "code": code.group(1),
                                         "csrf_token": token})
    assert answer.status_code == 303, answer.text


@pytest.mark.parametrize("path", ["/login", "/api/health", "/static/portal.js", "/nowhere"])
def test_every_answer_carries_the_security_headers(browser_like: httpx.Client,
                                                   path: str) -> None:
    headers = browser_like.get(path).headers
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"


def test_pages_have_no_inline_script(browser_like: httpx.Client) -> None:
    html = browser_like.get("/login").text
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S)
    assert scripts and all(not body.strip() for body in scripts)
    assert " on" not in re.sub(r"\s+", " ", " ".join(re.findall(r"<[^>]+>", html))).replace(
        " one-time", "")  # no onclick= / onload= attributes


def test_a_form_post_without_the_csrf_token_is_refused(browser_like: httpx.Client,
                                                       mock_providers: ProviderControl) -> None:
    _csrf(browser_like)
    answer = browser_like.post("/login/sms-code", data={"mobile": MOBILE})
    assert answer.status_code == 403
    assert "页面已过期或请求无效，请刷新网页后重新操作" in answer.text
    assert mock_providers.outbox(MOBILE) == []  # nothing was done


def test_a_wrong_csrf_token_or_one_without_its_cookie_is_refused(
        browser_like: httpx.Client, service: str) -> None:
    _csrf(browser_like)
    assert browser_like.post("/login/sms-code", data={"mobile": MOBILE, "csrf_token": "x" * 43}
                             ).status_code == 403
    with httpx.Client(base_url=service) as stranger:  # a cross-site form: no cookie of ours
        assert stranger.post("/login/sms-code", data={"mobile": MOBILE,
                                                      "csrf_token": "x" * 43}).status_code == 403


def test_another_origin_is_refused_even_with_the_token(browser_like: httpx.Client) -> None:
    token = _csrf(browser_like)
    answer = browser_like.post("/login/sms-code", data={"mobile": MOBILE, "csrf_token": token},
                               headers={"Origin": "http://evil.example"})
    assert answer.status_code == 403


def test_the_session_cookie_is_httponly_samesite_and_not_an_api_credential(
        browser_like: httpx.Client, mock_providers: ProviderControl) -> None:
    _log_in(browser_like, mock_providers)
    set_cookie = [h for h in browser_like.cookies.jar if h.name == "szca_session"]
    assert set_cookie and set_cookie[0].has_nonstandard_attr("HttpOnly")
    assert browser_like.get("/unlock/guide").status_code == 200
    # The API keeps bearer tokens: the page cookie alone is not a login there.
    assert browser_like.get("/api/auth/me").status_code == 401


def test_pages_need_a_login_and_come_back_after_it(browser_like: httpx.Client) -> None:
    answer = browser_like.get("/unlock/certificate")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/unlock/certificate"


def test_login_never_redirects_off_site(browser_like: httpx.Client,
                                        mock_providers: ProviderControl) -> None:
    token = _csrf(browser_like)
    browser_like.post("/login/sms-code", data={"mobile": MOBILE, "csrf_token": token})
    code = re.search(r"验证码为(\d{6})", mock_providers.last_sms(MOBILE).text)
    assert code
    answer = browser_like.post("/login", data={"mobile": MOBILE, "code": code.group(1),
                                               "csrf_token": token,
                                               "next": "//evil.example/x"})
    assert answer.headers["location"] == "/unlock/guide"


def test_logout_ends_the_session(browser_like: httpx.Client,
                                 mock_providers: ProviderControl) -> None:
    _log_in(browser_like, mock_providers)
    token = browser_like.cookies.get("szca_csrf")
    assert browser_like.post("/logout", data={"csrf_token": token}).status_code == 303
    assert browser_like.get("/unlock/guide").status_code == 303
