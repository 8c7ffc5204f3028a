"""ORG-MR-7 / PER-MR-6 uploads over HTTP: each allowed type passes and previews; each
bad file is refused with a clear Chinese message and nothing is stored; replace and
delete before submission keep the originals; nothing changes after submission."""

from __future__ import annotations

from pathlib import Path

import pytest
from mr_flows import Applicant, image, jpeg, personal_form, ready_to_submit

from emulator.personas import Scenario
from emulator.testing.api import Api
from szca_unlock.domain.uploads import MAX_UPLOAD_BYTES


def stored_files(home: Path) -> list[Path]:
    objects = home / "uploads" / "objects"
    return [p for p in objects.rglob("*") if p.is_file()] if objects.exists() else []


@pytest.fixture
def natural_order(api: Api, scenario: Scenario) -> tuple[Applicant, str]:
    holder = scenario.people["citizen"]
    api.login(holder.mobile)
    me = Applicant(api)
    order_no = me.open(scenario.certificate("natural"))
    me.fill(order_no, personal_form(holder))
    return me, order_no


@pytest.mark.parametrize(("filename", "fmt", "content_type"), [
    ("scan.jpg", "JPEG", "image/jpeg"), ("SCAN.JPEG", "JPEG", "image/jpeg"),
    ("scan.bmp", "BMP", "image/bmp"), ("scan.gif", "GIF", "image/gif"),
    ("scan.pdf", "PDF", "application/pdf")])
def test_each_allowed_type_is_accepted_and_previewed(natural_order: tuple[Applicant, str],
                                                     filename: str, fmt: str,
                                                     content_type: str) -> None:
    me, order_no = natural_order
    data = image(fmt)
    doc = me.upload_ok(order_no, "id_scan", filename, data, "application/octet-stream")
    assert doc["content_type"] == content_type and doc["size_bytes"] == len(data)
    assert doc["status"] == "current"
    original = me.api.call("GET", f"/orders/{order_no}/documents/{doc['id']}")
    assert original.content == data and original.headers["content-type"] == content_type
    preview = me.api.call("GET", f"/orders/{order_no}/documents/{doc['id']}/preview")
    assert preview.status_code == 200 and preview.content.startswith(b"\x89PNG")


def _truncated() -> bytes:
    data = image("JPEG")
    return data[: len(data) * 2 // 3]


def _gif_bomb() -> bytes:
    data = bytearray(image("GIF", (16, 16)))
    data[6:10] = (60000).to_bytes(2, "little") * 2  # the logical screen: 3.6 Gpx
    return bytes(data)


def _too_large() -> bytes:
    data = jpeg()
    return data + b"\0" * (MAX_UPLOAD_BYTES + 1 - len(data))


REFUSALS = {
    "renamed_exe": ("scan.jpg", lambda: b"MZ\x90\x00\x03" + b"\0" * 2000, "upload.type",
                    "仅支持jpg、JPEG、bmp、gif、pdf格式"),
    "truncated_image": ("scan.jpg", _truncated, "upload.image_corrupt", "损坏或不完整"),
    "image_bomb": ("scan.gif", _gif_bomb, "upload.image_too_large", "4000万像素"),
    "2MB_plus_1": ("scan.jpg", _too_large, "upload.too_large", "不能超过2M"),
    "traversal_name": ("../../etc/scan.jpg", jpeg, "upload.filename_path", "不能包含路径"),
    "empty_file": ("scan.jpg", lambda: b"", "upload.empty", "空文件"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_bad_files_are_refused_and_nothing_is_stored(natural_order: tuple[Applicant, str],
                                                     tmp_path: Path, case: str) -> None:
    me, order_no = natural_order
    filename, make, code, words = REFUSALS[case]
    answer = me.upload(order_no, "id_scan", filename, make())
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert (error["code"], error["field"]) == (code, "file")
    assert words in error["message"]
    assert me.api.ok("GET", f"/orders/{order_no}/documents?all=true") == []
    assert stored_files(tmp_path) == []
    assert "上传身份证扫描件" in me.page(order_no)["missing"]


def test_a_windows_path_from_old_ie_is_cut_to_its_base_name(
        natural_order: tuple[Applicant, str]) -> None:
    me, order_no = natural_order
    doc = me.upload_ok(order_no, "id_scan", "C:\\Documents and Settings\\黄伟\\桌面\\身份证.jpg",
                       jpeg())
    assert doc["filename"] == "身份证.jpg"
    answer = me.api.call("GET", f"/orders/{order_no}/documents/{doc['id']}")
    assert "%E8%BA%AB%E4%BB%BD%E8%AF%81.jpg" in answer.headers["content-disposition"]


def test_replace_and_delete_keep_the_originals(natural_order: tuple[Applicant, str],
                                               tmp_path: Path) -> None:
    me, order_no = natural_order
    first = me.upload_ok(order_no, "id_scan", "a.jpg", jpeg(text="first"))
    second = me.upload_ok(order_no, "id_scan", "b.jpg", jpeg(text="second"))
    current = me.api.ok("GET", f"/orders/{order_no}/documents")
    assert [d["id"] for d in current] == [second["id"]]
    assert me.api.call("DELETE", f"/orders/{order_no}/documents/{second['id']}"
                       ).status_code == 204
    assert me.api.ok("GET", f"/orders/{order_no}/documents") == []
    history = {d["id"]: d["status"] for d in
               me.api.ok("GET", f"/orders/{order_no}/documents?all=true")}
    assert history == {first["id"]: "replaced", second["id"]: "withdrawn"}
    assert len(stored_files(tmp_path)) == 2  # both originals are still on disk
    assert me.api.call("GET", f"/orders/{order_no}/documents/{first['id']}").status_code == 200
    assert me.api.error("DELETE", f"/orders/{order_no}/documents/{second['id']}",
                        409)["code"] == "document.withdrawn"


def test_slots_follow_the_certificate(natural_order: tuple[Applicant, str]) -> None:
    me, order_no = natural_order
    error = me.api.error("POST", f"/orders/{order_no}/documents/business_licence", 404,
                         files={"file": ("x.jpg", jpeg(), "image/jpeg")})
    assert error["code"] == "document.slot_unknown" and "身份证扫描件" in error["message"]
    page = me.page(order_no)
    assert [(s["slot"], s["required"]) for s in page["slots"]] == [
        ("id_scan", True), ("id_in_hand", True)]
    assert page["requirement"] == "身份证扫描件 + 申请人手持身份证"


def test_medical_needs_a_work_id_or_the_hand_held_photo(api: Api, scenario: Scenario) -> None:
    doctor = scenario.people["doctor"]
    api.login(doctor.mobile)
    me = Applicant(api)
    order_no = me.open(scenario.certificate("medical"))
    me.fill(order_no, personal_form(doctor))
    page = me.page(order_no)
    assert page["requirement"] == "身份证扫描件 + 工作证或申请人手持身份证"
    assert page["missing"] == ["上传身份证扫描件", "上传工作证或申请人手持身份证"]
    ready_to_submit(me, order_no, ("id_scan", "work_id"))
    assert me.page(order_no)["can_submit"]


def test_nothing_changes_after_submission(natural_order: tuple[Applicant, str],
                                          scenario: Scenario) -> None:
    me, order_no = natural_order
    ready_to_submit(me, order_no, ("id_scan", "id_in_hand"))
    doc = me.api.ok("GET", f"/orders/{order_no}/documents")[0]
    me.submit(order_no)
    for method, path, kwargs in [
            ("POST", "/documents/id_scan", {"files": {"file": ("x.jpg", jpeg(), "image/jpeg")}}),
            ("DELETE", f"/documents/{doc['id']}", {}),
            ("PUT", "/manual/form", {"json": personal_form(scenario.people["citizen"])}),
            ("POST", "/manual/submit", {})]:
        error = me.api.error(method, f"/orders/{order_no}{path}", 409, **kwargs)
        assert error["code"] == "order.not_editable", (method, path)
        assert "待审核" in error["message"]
