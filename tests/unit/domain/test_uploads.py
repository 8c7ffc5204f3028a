"""Upload rules: type by content, 2M limit, empty files, safe file names."""

import io

import pytest
from PIL import Image
from reportlab.pdfgen import canvas

from szca_unlock.domain.errors import ValidationError
from szca_unlock.domain.uploads import (
    MAX_UPLOAD_BYTES,
    UploadKind,
    check_filename,
    classify_upload,
    sniff_kind,
    storage_name,
)


def _image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 20), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def _pdf() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "ID card scan")
    page.save()
    return buffer.getvalue()


REAL_FILES = {
    UploadKind.JPEG: _image("JPEG"),
    UploadKind.BMP: _image("BMP"),
    UploadKind.GIF: _image("GIF"),
    UploadKind.PDF: _pdf(),
}
# A Windows executable starts with "MZ"; the rest does not matter for sniffing.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def _code_of(filename: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as info:
        classify_upload(filename, data)
    return info.value.code


@pytest.mark.parametrize("kind", list(UploadKind))
def test_each_allowed_type_is_recognised_by_content(kind):
    assert classify_upload(f"scan.{kind.extension}", REAL_FILES[kind]) is kind


@pytest.mark.parametrize("kind", list(UploadKind))
def test_the_extension_does_not_decide_the_type(kind):
    # Upper-case, wrong or missing extensions: the bytes decide.
    for name in ["SCAN.JPEG", "scan.pdf", "scan.png", "scan"]:
        assert classify_upload(name, REAL_FILES[kind]) is kind


def test_storage_name_takes_the_real_extension():
    assert storage_name("身份证.png", UploadKind.JPEG) == "身份证.jpg"
    assert storage_name("申请表", UploadKind.PDF) == "申请表.pdf"
    assert storage_name(".hidden", UploadKind.GIF) == ".hidden.gif"


def test_a_renamed_executable_is_refused_with_the_manuals_wording():
    with pytest.raises(ValidationError) as info:
        classify_upload("photo.jpg", EXE)
    assert info.value.code == "upload.type"
    assert info.value.message.startswith("仅支持jpg、JPEG、bmp、gif、pdf格式的文件")


@pytest.mark.parametrize(
    "data",
    [
        _image("PNG"),  # PNG is not in the manual's list
        _image("TIFF"),
        b"BMW annual report, plain text that happens to start with BM" * 3,
        b"<html><body>%PDF-1.4</body></html>",
        b"\xff\xd8",  # truncated JPEG signature
    ],
)
def test_other_content_is_refused_whatever_its_name(data):
    assert _code_of("scan.jpg", data) == "upload.type"


def test_an_empty_file_is_refused():
    assert _code_of("scan.jpg", b"") == "upload.empty"


def test_exactly_2m_is_accepted_and_one_byte_more_is_refused():
    at_limit = REAL_FILES[UploadKind.JPEG].ljust(MAX_UPLOAD_BYTES, b"\x00")
    assert MAX_UPLOAD_BYTES == 2 * 1024 * 1024
    assert classify_upload("scan.jpg", at_limit) is UploadKind.JPEG
    with pytest.raises(ValidationError) as info:
        classify_upload("scan.jpg", at_limit + b"\x00")
    assert info.value.code == "upload.too_large"
    assert info.value.message.startswith("文件大小不能超过2M")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("../../etc/passwd.jpg", "upload.filename_path"),
        ("..\\..\\windows\\win.ini.jpg", "upload.filename_path"),
        ("/etc/shadow.pdf", "upload.filename_path"),
        ("C:\\Users\\zhang\\scan.jpg", "upload.filename_path"),  # full path some IE modes send
        ("C:scan.jpg", "upload.filename_path"),
        ("..", "upload.filename_path"),
        ("scan\x00.jpg", "upload.filename_control"),
        ("scan\n.jpg", "upload.filename_control"),
        ("scan\u202egpj.exe", "upload.filename_control"),  # shows as "scanexe.jpg"
        ("scan|1.jpg", "upload.filename_chars"),
        ("scan?.jpg", "upload.filename_chars"),
        ("", "upload.filename_required"),
        ("   ", "upload.filename_required"),
        ("扫" * 90 + ".jpg", "upload.filename_length"),  # 274 bytes in UTF-8
    ],
)
def test_unsafe_names_are_refused_before_the_content_is_looked_at(name, code):
    assert _code_of(name, REAL_FILES[UploadKind.JPEG]) == code


def test_path_message_tells_the_user_what_to_do():
    with pytest.raises(ValidationError) as info:
        check_filename("../scan.jpg")
    assert "路径" in info.value.message and info.value.field == "file"


def test_ordinary_chinese_names_with_spaces_and_dots_are_kept():
    name = "张三 身份证 正反面.v2.jpg"
    assert check_filename(name) == name


def test_sniffing_needs_a_real_bmp_header():
    assert sniff_kind(REAL_FILES[UploadKind.BMP][:18]) is UploadKind.BMP
    assert sniff_kind(b"BM" + b"\x00" * 12 + b"\x07\x00\x00\x00") is None
