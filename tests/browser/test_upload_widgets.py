"""The manual-review upload widgets in Chromium (ORG-MR-7 / PER-MR-6): the rule shown
before upload, every refusal shown in place at its slot with the manual's rule and
nothing stored, and a stored file replaced and deleted."""

from __future__ import annotations

import io
import re

from PIL import Image
from playwright.sync_api import FilePayload, Page, expect

from emulator.mock_providers.client import ProviderControl
from emulator.personas import Scenario
from emulator.testing.browser import axe_violations
from emulator.testing.documents import photo
from emulator.testing.portal_pages import CertificatePage, ManualReviewPage, log_in
from szca_unlock.domain.uploads import MAX_UPLOAD_BYTES

RULE = "仅支持jpg、JPEG、bmp、gif、pdf格式"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _upload_page(page: Page, service: str, scenario: Scenario,
                 control: ProviderControl) -> ManualReviewPage:
    """A 自然人 PER-MR order with its form saved, on 上传资料."""
    persona = scenario.certificate("natural")
    holder = persona.holder
    assert holder is not None
    log_in(page, service, control, holder.mobile, accept=True)
    CertificatePage(page).look_up(persona.serial_hex)
    page.get_by_role("button", name="人工审核解锁").click()
    manual = ManualReviewPage(page)
    manual.fill({"申请人姓名": holder.name, "身份证号码": holder.id_number,
                 "移动电话": holder.mobile})
    expect(page.get_by_role("link", name="打印申请表")).to_be_visible()
    return manual


def test_each_refusal_is_shown_at_its_slot_and_nothing_is_stored(
        page: Page, service: str, scenario: Scenario, mock_providers: ProviderControl) -> None:
    manual = _upload_page(page, service, scenario, mock_providers)
    # the rule before any upload: in the section, at each slot, in the file chooser's filter
    expect(page.locator("#documents-section")).to_contain_text(
        "支持jpg、JPEG、bmp、gif、pdf格式，每个文件大小不超过2M")
    for slot in ("id_scan", "id_in_hand"):
        expect(page.locator(f"#{slot}-hint")).to_contain_text("大小不超过2M")
        chooser = page.locator(f"#f-{slot}")
        expect(chooser).to_have_attribute("accept", re.compile(r"\.jpg.*\.pdf"))
        expect(chooser).to_have_attribute("aria-describedby", f"{slot}-hint {slot}-error")

    # a PNG picture renamed .jpg: the content decides, not the name
    manual.upload("id_scan", "证件照.jpg", _png())
    manual.expect_refused("id_scan", RULE)
    # a program renamed .pdf
    manual.upload("id_in_hand", "手持.pdf", b"MZ\x90\x00" + b"\x00" * 512, "application/pdf")
    manual.expect_refused("id_in_hand", RULE)
    expect(page.locator("#f-id_in_hand")).to_have_attribute("aria-invalid", "true")
    # one byte over 2M (a real JPEG, padded)
    big = photo("big")
    big += b"\x00" * (MAX_UPLOAD_BYTES + 1 - len(big))
    manual.upload("id_scan", "扫描件-高分辨率.jpg", big)
    manual.expect_refused("id_scan", "文件大小不能超过2M")
    # an empty file
    manual.upload("id_in_hand", "空.jpg", b"")
    manual.expect_refused("id_in_hand", "空文件")
    assert axe_violations(page) == []

    # choosing another file clears the slot's refusal
    page.locator("#f-id_in_hand").set_input_files(
        files=[FilePayload(name="x.jpg", mimeType="image/jpeg", buffer=photo("x"))])
    expect(page.locator("#id_in_hand-error")).to_be_empty()
    expect(page.locator("#f-id_in_hand")).not_to_have_attribute("aria-invalid", "true")

    page.reload()  # nothing of the four was stored
    expect(page.locator(".uploaded")).to_have_count(0)
    expect(page.locator(".preview")).to_have_count(0)
    expect(page.locator("#missing")).to_contain_text("上传身份证扫描件")
    expect(page.locator("#missing")).to_contain_text("上传申请人手持身份证")


def test_a_stored_file_is_replaced_and_deleted(
        page: Page, service: str, scenario: Scenario, mock_providers: ProviderControl) -> None:
    manual = _upload_page(page, service, scenario, mock_providers)
    slot = page.locator("#slot-id_scan")
    manual.upload("id_scan", "第一张.jpg", photo("first"))
    manual.expect_uploaded("id_scan", "第一张.jpg")
    expect(slot.get_by_role("button", name=re.compile("^重新上传"))).to_be_visible()
    first_preview = slot.get_by_role("img").get_attribute("src")
    expect(page.locator("#missing")).not_to_contain_text("身份证扫描件")

    # 重新上传 on the same slot (the same address twice: the page must still show it anew)
    manual.upload("id_scan", "第二张.jpg", photo("second"))
    manual.expect_uploaded("id_scan", "第二张.jpg")
    expect(slot.locator(".uploaded")).not_to_contain_text("第一张.jpg")
    expect(slot.get_by_role("img")).not_to_have_attribute("src", first_preview or "")
    expect(page.locator(".uploaded")).to_have_count(1)
    assert axe_violations(page) == []

    # 删除: the slot is empty again and missing for 提交
    slot.get_by_role("button", name=re.compile("^删除")).click()
    expect(page).to_have_url(re.compile(r"/manual#documents$"))
    expect(slot.locator(".uploaded")).to_have_count(0)
    expect(slot.get_by_role("img")).to_have_count(0)
    expect(slot.get_by_role("button", name=re.compile("^上传证件"))).to_be_visible()
    expect(page.locator("#missing")).to_contain_text("上传身份证扫描件")
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.locator("#page-error")).to_contain_text("上传身份证扫描件")
