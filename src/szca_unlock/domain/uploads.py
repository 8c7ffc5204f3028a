"""Upload rules of the manual-review flow (PER-MR-6, ORG-MR-7).

Formats jpg/JPEG/bmp/gif/pdf, at most 2M each. The type is decided by the file's leading bytes,
never by its name; the name is only checked so that it is safe to show and store.
Image decoding and decompression-bomb checks are done elsewhere.
"""

from __future__ import annotations

import unicodedata
from enum import Enum

from szca_unlock.domain.errors import ValidationError

MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # the manual's "2M", read as 2 MiB
MAX_FILENAME_BYTES = 255  # longest name most file systems store
_BMP_DIB_HEADER_SIZES = frozenset({12, 16, 40, 52, 56, 64, 108, 124})
_WINDOWS_RESERVED = frozenset('<>:"|?*')


class UploadKind(Enum):
    JPEG = ("jpg", "image/jpeg")
    BMP = ("bmp", "image/bmp")
    GIF = ("gif", "image/gif")
    PDF = ("pdf", "application/pdf")

    @property
    def extension(self) -> str:
        return self.value[0]

    @property
    def mime_type(self) -> str:
        return self.value[1]


def _fail(rule: str, message: str, field: str) -> ValidationError:
    return ValidationError(f"upload.{rule}", message, field)


def sniff_kind(data: bytes) -> UploadKind | None:
    """The allowed kind whose signature ``data`` starts with, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return UploadKind.JPEG
    if data.startswith((b"GIF87a", b"GIF89a")):
        return UploadKind.GIF
    if data.startswith(b"%PDF-"):
        return UploadKind.PDF
    # "BM" alone is too weak (plain text can start with it): also require a known DIB header size.
    dib_size = int.from_bytes(data[14:18], "little") if len(data) >= 18 else 0
    if data.startswith(b"BM") and dib_size in _BMP_DIB_HEADER_SIZES:
        return UploadKind.BMP
    return None


def check_filename(filename: str, field: str = "file") -> str:
    """The client's file name, refused if it is a path or holds control or reserved characters."""
    name = unicodedata.normalize("NFC", filename or "")
    if not name.strip():
        raise _fail("filename_required", "请选择要上传的文件", field)
    # Cc: NUL and other controls; Cf: invisible format marks such as U+202E, which can disguise
    # "gpj.exe" as "exe.jpg" when shown to the reviewer.
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        raise _fail("filename_control", "文件名包含不可见的控制字符，请重命名后重新上传", field)
    is_dots = name.strip(" .") == ""  # ".", "..", ". ." name a directory, not a file
    if is_dots or "/" in name or "\\" in name or (len(name) > 1 and name[1] == ":"):
        raise _fail(
            "filename_path", "文件名不能包含路径（如“../”或“C:\\”），请只选择文件本身上传", field
        )
    if any(c in _WINDOWS_RESERVED for c in name):
        raise _fail(
            "filename_chars", '文件名不能包含 < > : " | ? * 等字符，请重命名后重新上传', field
        )
    if len(name.encode("utf-8")) > MAX_FILENAME_BYTES:
        raise _fail("filename_length", "文件名过长，请重命名后重新上传", field)
    return name


def classify_upload(filename: str, data: bytes, field: str = "file") -> UploadKind:
    """Check one uploaded file and return its kind, decided from its content."""
    check_filename(filename, field)
    if not data:
        raise _fail("empty", "上传的文件是空文件，请重新选择文件", field)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _fail("too_large", "文件大小不能超过2M，请压缩或降低扫描分辨率后重新上传", field)
    kind = sniff_kind(data)
    if kind is None:
        raise _fail("type", "仅支持jpg、JPEG、bmp、gif、pdf格式的文件，请重新选择", field)
    return kind


def storage_name(filename: str, kind: UploadKind) -> str:
    """The checked name with its real kind's extension (``scan.png`` holding a JPEG: scan.jpg)."""
    name = check_filename(filename)
    stem, dot, _ = name.rpartition(".")
    return f"{stem if dot and stem else name}.{kind.extension}"
