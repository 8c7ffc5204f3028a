"""``szca-emulator demo-ui`` (``make demo-ui``): the ORG-RT unlock of ``make demo``, clicked
through the 网厅's pages in Chromium (headless, or visible with ``--headed``), with the
certificate helper resetting the key; one full-page screenshot per page in
``reports/demo-ui/``.

The world is ``szca-emulator up``'s: pcscd with the company's locked U-KEY in a reader,
the mock providers, the service and its szca-assistant. The demo types what the manual
says, reads the SMS codes from the provider's outbox and "scans" the legal
representative's face through the face provider's control API.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from emulator.demo import check_key, lock_key
from emulator.mock_providers.client import ProviderControl
from emulator.stack import Stack, StackConfig, StackError
from emulator.testing.browser import DESKTOP, Screens, launch_args
from emulator.testing.portal_pages import ResultPage, UnlockDialog, org_until_enterprise_check
from emulator.virtual_ukey import pcsc
from szca_unlock.domain.certificates import CertificateKind

NEW_PIN = "Szca2026"
REPORTS = Path("reports") / "demo-ui"  # under the directory the command runs in


def _step(title: str) -> None:
    print(f"\n== {title}", flush=True)


def run_demo_ui(config: StackConfig, *, headed: bool = False, out: Path = REPORTS) -> int:
    stack = Stack(config)
    if not pcsc.bind_process(stack.world.socket):
        raise StackError(f"环境变量 {pcsc.CSOCK_ENV} 指向另一个虚拟 U-KEY 环境；"
                         f"请 unset {pcsc.CSOCK_ENV} 后重试")
    scenario = stack.scenario()
    persona = next(c for c in scenario.certificates
                   if c.kind is CertificateKind.ORG and c.driver == "pcsc")
    _step("启动模拟环境（pcscd + 虚拟U-KEY、模拟服务商、网厅服务、数字证书管理工具）")
    record = stack.up(insert=[persona.key_serial])
    try:
        key = next(k for k in record.keys if k.serial == persona.key_serial)
        assert key.reader is not None
        print(f"  网上营业厅 {record.service_url}/login  数字证书管理工具 {record.assistant_url}")
        _step("U-KEY 被锁：连续输错PIN")
        lock_key(key.reader)
        control = ProviderControl(record.providers_url)
        screens = Screens(out)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_args(headless=not headed))
            page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
            _step("ORG-RT-1…8 登录、解锁指南、证书确认、实时解锁、单位信息、"
                  "经办人手机实名、授权委托书、法人人脸验证")
            order_no, enterprise = org_until_enterprise_check(
                page, record.service_url, control, persona, screens.shoot)
            print(f"  业务单 {order_no}")
            face_url = enterprise.start_face()
            screens.shoot(page, "legal-rep-face-qr")
            control.complete_face(face_url, "pass")
            expect(page).to_have_url(re.compile(f"/orders/{order_no}/result$"), timeout=20_000)
            _step("ORG-RT-9 认证通过后，点击【立即解锁】，在弹出窗口中设置新密码")
            ResultPage(page).expect_shown(order_no)
            screens.shoot(page, "result")
            dialog = UnlockDialog(page)
            dialog.open()
            dialog.set_pin(NEW_PIN)
            dialog.expect_unlocked()
            screens.shoot(page, "unlocked")
            browser.close()
        _step("在读卡器上检查 U-KEY")
        check_key(key.reader, NEW_PIN)
        print(f"\n演示完成；截图见 {out}", flush=True)
        return 0
    finally:
        _step("停止模拟环境")
        stack.down()
