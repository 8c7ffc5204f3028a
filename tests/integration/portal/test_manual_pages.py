"""The manual-review page's uploads over HTTP as the browser sends them: multipart, so the
CSRF token travels in the ``X-CSRF-Token`` header (docs/decisions/portal.md); without it
nothing is stored. The page's upload has the API's limits and refusals (2M, 413 beyond
the envelope) and the ORG-MR form refuses in place like the API."""

from __future__ import annotations

import re

import httpx
import pytest

from emulator.mock_providers.client import ProviderControl
from emulator.personas import Company, Scenario
from szca_unlock.domain.uploads import MAX_UPLOAD_BYTES
from szca_unlock.service.views.portal import TICKS

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64  # refused by the decoder, but only after CSRF


@pytest.fixture
def browser_like(service: str) -> httpx.Client:
    with httpx.Client(base_url=service, follow_redirects=False, timeout=30) as client:
        yield client


def _manual_order(client: httpx.Client, control: ProviderControl, mobile: str,
                  serial: str) -> tuple[str, str]:
    """Logged in, agreements ticked, 人工审核解锁 chosen: (order number, CSRF token)."""
    client.get("/login")
    token = client.cookies.get("szca_csrf")
    assert token
    client.post("/login/sms-code", data={"mobile": mobile, "csrf_token": token})
    code = re.search(r"验证码为(\d{6})", control.last_sms(mobile).text)
    assert code
    assert client.post("/login", data={"mobile": mobile, "code": code.group(1),
                                       "csrf_token": token}).status_code == 303
    ticks = {name: "on" for name, _, _ in TICKS}
    assert client.post("/unlock/guide", data={**ticks, "csrf_token": token}
                       ).status_code == 303
    answer = client.post("/unlock/orders", data={"serial": serial, "mode": "manual",
                                                 "csrf_token": token})
    assert answer.status_code == 303, answer.text
    match = re.fullmatch(r"/orders/(\w+)/manual", answer.headers["location"])
    assert match
    return match.group(1), token


def _uploaded(client: httpx.Client, order_no: str) -> int:
    return client.get(f"/orders/{order_no}/manual").text.count('class="uploaded"')


def test_a_multipart_upload_needs_the_csrf_header(
        browser_like: httpx.Client, scenario: Scenario, mock_providers: ProviderControl) -> None:
    persona = scenario.certificate("natural")
    assert persona.holder is not None
    order_no, token = _manual_order(browser_like, mock_providers, persona.holder.mobile,
                                    persona.serial_hex)
    url = f"/orders/{order_no}/manual/documents/id_scan"
    files = {"file": ("scan.jpg", JPEG, "image/jpeg")}
    # a token only in a multipart field is not read (the middleware never parses uploads)
    refused = browser_like.post(url, files=files, data={"csrf_token": token})
    assert refused.status_code == 403
    assert browser_like.post(url, files=files, headers={"X-CSRF-Token": "forged"}
                             ).status_code == 403
    assert _uploaded(browser_like, order_no) == 0
    # with the header the upload reaches the API's checks: refused in JSON at its slot
    answer = browser_like.post(url, files=files, headers={"X-CSRF-Token": token,
                                                          "Accept": "application/json"})
    assert answer.status_code in (400, 422), answer.text
    assert answer.json()["error"]["field"] == "id_scan"
    over = browser_like.post(url, headers={"X-CSRF-Token": token},
                             files={"file": ("big.jpg", b"\xff" * (MAX_UPLOAD_BYTES + 1),
                                             "image/jpeg")})
    assert over.status_code in (400, 413, 422)
    assert "2M" in over.json()["error"]["message"]
    assert _uploaded(browser_like, order_no) == 0


def test_the_org_form_refuses_in_place_and_keeps_what_was_typed(
        browser_like: httpx.Client, scenario: Scenario, mock_providers: ProviderControl) -> None:
    persona = scenario.certificate("org")
    company = persona.company
    assert company is not None
    order_no, token = _manual_order(browser_like, mock_providers, persona.applicant_mobile,
                                    persona.serial_hex)
    page = browser_like.get(f"/orders/{order_no}/manual").text
    assert "单位信息（带*为必填项）" in page and "经办人信息（带*为必填项）" in page
    assert 'id="f-province"' in page and "北京市" in page
    answer = browser_like.post(f"/orders/{order_no}/manual/form", data={
        "csrf_token": token, "org_name": company.name, "org_id_number": "91440300MA5XXXXXX0",
        "fee": "0", "province": "广东省", "city": "深圳市", "address": "深圳市南山区"})
    assert answer.status_code in (400, 422)
    html = answer.text
    field = re.search(r'<div class="field invalid" data-field="(\w+)"', html)
    assert field and field.group(1) == "org_id_number"
    assert re.search(r'id="org_id_number-error" role="alert">\S', html)
    assert 'value="深圳市南山区"' in html and '<option value="深圳市" selected>' in html


def _org_form(company: Company) -> dict[str, str]:
    operator = company.operator
    return {"org_name": company.name, "org_id_number": company.uscc, "fee": "0",
            "province": company.province, "city": company.city,
            "address": company.address, "operator_name": operator.name,
            "operator_id_number": operator.id_number, "operator_mobile": operator.mobile,
            "operator_title": operator.title or "行政专员",
            "operator_email": operator.email or "operator@example.com"}


def test_the_operator_face_check_works_without_script(
        browser_like: httpx.Client, scenario: Scenario, mock_providers: ProviderControl) -> None:
    """ORG-MR-8 as plain form posts: 开始人脸验证 (CSRF-checked) shows the QR code; once the
    operator has passed on the phone, loading the page shows the outcome."""
    persona = scenario.certificate("org")
    company = persona.company
    assert company is not None
    order_no, token = _manual_order(browser_like, mock_providers, persona.applicant_mobile,
                                    persona.serial_hex)
    page = f"/orders/{order_no}/manual"
    assert "请先填写并保存经办人信息" in browser_like.get(page).text
    saved = browser_like.post(f"{page}/form", data={"csrf_token": token, **_org_form(company)})
    assert saved.status_code == 303, saved.text

    assert browser_like.post(f"{page}/face", data={}).status_code == 403  # no CSRF token
    assert 'data-face-url' not in browser_like.get(page).text
    started = browser_like.post(f"{page}/face", data={"csrf_token": token})
    assert started.status_code == 303 and started.headers["location"].endswith("#face-section")
    html = browser_like.get(page).text
    url = re.search(r'data-face-url="([^"]+)"', html)
    assert url and 'src="data:image/png;base64,' in html
    status = browser_like.get(f"{page}/face/status")
    assert status.json()["status"] == "pending"
    assert status.headers["cache-control"] == "no-store"

    mock_providers.complete_face(url.group(1).replace("&amp;", "&"), "pass")
    html = browser_like.get(page).text  # no script: the page itself asks the provider
    assert "经办人人脸验证通过" in html and "data-face-url" not in html
    assert "完成经办人人脸验证" not in html  # no longer missing for 提交
    assert browser_like.get(f"{page}/face/status").json()["status"] == "passed"


def test_a_personal_order_has_no_face_check(
        browser_like: httpx.Client, scenario: Scenario, mock_providers: ProviderControl) -> None:
    persona = scenario.certificate("natural")
    assert persona.holder is not None
    order_no, token = _manual_order(browser_like, mock_providers, persona.holder.mobile,
                                    persona.serial_hex)
    page = f"/orders/{order_no}/manual"
    assert 'id="face-section"' not in browser_like.get(page).text
    refused = browser_like.post(f"{page}/face", data={"csrf_token": token})
    assert refused.status_code == 409 and "该业务单无需经办人人脸验证" in refused.text
    assert browser_like.get(f"{page}/face/status").json()["error"]["code"] == "face.not_required"
