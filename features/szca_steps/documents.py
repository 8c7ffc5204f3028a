"""Files the user uploads in manual review: genuine small images and PDFs made on the fly,
and the wrong ones the features name (another format, disguised content, over 2 MB)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

# The features' document names → the service's upload slots.
SLOTS = {
    "申请表": "application_form",
    "营业执照复印件": "business_licence",
    "身份证扫描件": "id_scan",
    "加盖单位公章的身份证扫描件": "id_scan",
    "申请人手持身份证": "id_in_hand",
    "工作证": "work_id",
}
_MB = 1024 * 1024


def scan(label: str, fmt: str = "JPEG", variant: int = 0) -> bytes:
    """A legible A4-ish scan with a caption, as JPEG or PDF; ``variant`` n makes the n-th
    rescan of the same document (other bytes, so a replacement can be told apart)."""
    image = Image.new("RGB", (420, 594), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 400, 574), outline="black", width=3)
    caption = label.encode("ascii", "replace").decode() + (f" #{variant}" if variant else "")
    draw.text((40, 40), caption, fill="black")
    draw.ellipse((280, 440, 380, 540), outline="red", width=4)  # the seal
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def padded(data: bytes, megabytes: float) -> bytes:
    """The same file grown past ``megabytes`` with trailing bytes (readers ignore them)."""
    return data + b"\0" * max(0, int(megabytes * _MB) - len(data))


def wrong_file(description: str) -> tuple[str, bytes]:
    """(filename, bytes) for the features' bad uploads."""
    if description.startswith('一个"docx"'):
        return "材料.docx", b"PK\x03\x04" + b"\0" * 2048
    if "内容不是图片" in description:
        return "身份证.jpg", b"MZ\x90\x00" + b"\0" * 2048
    if '"jpg"图片' in description:
        return "大图.jpg", padded(scan("big"), 3)
    if '"pdf"文件' in description:
        return "大文件.pdf", padded(scan("big", "PDF"), 3)
    raise KeyError(f"no such test file: {description}")
