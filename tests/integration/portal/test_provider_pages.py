"""The outside world's pages on the mock providers: the SMS inbox per mobile (newest first,
refreshing itself), the face H5 page (outcome chosen by the tester, back to the service's
RedirectUrl) and the company's bank statement."""

from __future__ import annotations

import re

import httpx
import pytest

from emulator.mock_providers.client import ProviderControl
from emulator.personas import Scenario
from emulator.testing.api import Api, Flows


@pytest.fixture
def pages(mock_providers: ProviderControl) -> httpx.Client:
    with httpx.Client(base_url=mock_providers.base_url, timeout=30) as client:
        yield client


def test_the_sms_inbox_shows_a_mobiles_messages_newest_first(
        api: Api, pages: httpx.Client, mock_providers: ProviderControl, clock) -> None:
    mobile = "13800138000"
    api.ok("POST", "/auth/sms-code", json={"mobile": mobile})
    clock.advance(seconds=61)
    api.ok("POST", "/auth/sms-code", json={"mobile": mobile})
    html = pages.get(f"/pages/sms/{mobile}").text
    codes = re.findall(r"验证码为(\d{6})", html)
    assert codes == [m.params[0] for m in mock_providers.outbox(mobile)][:2]  # newest first
    assert '<meta http-equiv="refresh"' in html
    assert "暂无短信" in pages.get("/pages/sms/13900000000").text


def test_the_face_page_lets_the_tester_choose_and_goes_back_to_the_portal(
        api: Api, pages: httpx.Client, scenario: Scenario, service: str) -> None:
    persona, holder = scenario.certificate("natural"), scenario.people["citizen"]
    api.login(holder.mobile)
    order_no = Flows(api).open(persona.serial_hex)
    started = api.ok("POST", f"/orders/{order_no}/verifications/identity", json={
        "method": "face", "name": holder.name, "id_number": holder.id_number})
    token = started["verification"]["face"]["url"].split("token=")[1]
    first = pages.get(f"/pages/face/{token}")
    assert "开始验证" in first.text and holder.name not in first.text  # the name is masked
    chooser = pages.get(f"/pages/face/{token}", params={"started": "true"}).text
    assert "非本人" in chooser and "活体检测未通过" in chooser and "超时未完成" in chooser
    answer = pages.post(f"/pages/face/{token}", data={"outcome": "face_mismatch"})
    assert answer.status_code == 303
    assert answer.headers["location"].startswith(f"{service}/unlock/face-done?token=")
    polled = api.ok("GET", f"/orders/{order_no}/verifications/identity")["verification"]
    assert polled["status"] == "failed"
    assert pages.post(f"/pages/face/{token}", data={"outcome": "pass"}).status_code == 409


def test_the_bank_statement_shows_the_transfer_and_its_remark(
        api: Api, pages: httpx.Client, scenario: Scenario,
        mock_providers: ProviderControl) -> None:
    persona = scenario.certificate("org")
    company = persona.company
    assert company is not None
    api.login(persona.applicant_mobile)
    order_no = Flows(api).open_org(persona.serial_hex, company.legal_rep)
    Flows(api).verify(order_no, "operator", "carrier", company.operator)
    letter = api.ok("GET", f"/orders/{order_no}/authorization-letter")
    api.ok("POST", f"/orders/{order_no}/authorization-letter/confirm",
           json={"version": letter["version"]})
    account = company.account
    api.ok("POST", f"/orders/{order_no}/verifications/enterprise", json={
        "method": "deposit", "name": company.legal_rep.name,
        "id_number": company.legal_rep.id_number, "bank_name": account.bank,
        "branch_name": account.branch, "account_number": account.account_no})
    html = pages.get(f"/pages/bank/{account.account_no}").text
    assert "0.01" in html
    assert mock_providers.deposit_code(account.account_no, order_no) in html
