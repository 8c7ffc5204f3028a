"""axe-core on the pages no flow test checks on its way (those do: 登录, 解锁指南, 证书,
the ORG-RT run's every page incl. 授权委托书, the 立即解锁 pop-up and the order detail,
the manual-review pages, 我的业务单 with orders, the console's queue and review): here the
error pages, the console's login (also with its error), the empty 我的业务单 and a
manual order's detail. No serious or critical violation on any of them."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from emulator.mock_providers.client import ProviderControl
from emulator.personas import Scenario
from emulator.testing.browser import axe_violations, untranslated
from emulator.testing.portal_pages import CertificatePage, log_in


def _assert_clean(page: Page) -> None:
    assert axe_violations(page) == []
    assert untranslated(page.locator("body").inner_text()) == []


def test_error_pages(page: Page, service: str, scenario: Scenario,
                     mock_providers: ProviderControl) -> None:
    answer = page.goto(f"{service}/no-such-page")
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("alert")).to_contain_text("您访问的页面不存在")
    _assert_clean(page)
    log_in(page, service, mock_providers, scenario.certificate("natural").applicant_mobile)
    answer = page.goto(f"{service}/orders/JS209901010001")  # not this applicant's order
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("heading", name="操作未完成")).to_be_visible()
    expect(page.get_by_role("link", name="我的业务单")).to_be_visible()
    _assert_clean(page)


def test_console_login_with_its_error(page: Page, service: str) -> None:
    page.goto(f"{service}/console/login")
    expect(page.get_by_label("用户名")).to_be_visible()
    _assert_clean(page)
    page.get_by_label("用户名").fill("reviewer1")
    page.get_by_label("密码").fill("wrong")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert").filter(has_text=re.compile("用户名或密码"))).not_to_have_count(0)
    _assert_clean(page)


def test_my_orders_empty_and_a_manual_order_detail(
        page: Page, service: str, scenario: Scenario, mock_providers: ProviderControl) -> None:
    persona = scenario.certificate("natural")
    log_in(page, service, mock_providers, persona.applicant_mobile, accept=True)
    page.goto(f"{service}/orders")
    expect(page.get_by_text("暂无业务单")).to_be_visible()
    _assert_clean(page)
    page.goto(f"{service}/unlock/certificate")
    CertificatePage(page).look_up(persona.serial_hex)
    _assert_clean(page)
    page.get_by_role("button", name="人工审核解锁").click()
    expect(page).to_have_url(re.compile(r"/orders/\w+/manual$"))
    order_no = page.url.rsplit("/", 2)[-2]
    page.goto(f"{service}/orders")
    expect(page.get_by_role("row").filter(has_text=order_no)).to_contain_text("已创建")
    _assert_clean(page)
    page.goto(f"{service}/orders/{order_no}")
    expect(page.locator("#order-state")).to_have_text("已创建")
    _assert_clean(page)
