"""Proves an upload is what it claims to be, and draws its preview.

``classify_upload`` (domain/uploads.py) has already decided the kind from the magic
bytes and checked size and name; here the content itself is opened: images are fully
decoded with Pillow, PDFs parsed with pypdf. Limits (see docs/decisions/documents.md):
40 Mpx per image (all frames of a GIF together), 100 GIF frames, 20 PDF pages,
encrypted PDFs refused.
"""

from __future__ import annotations

import resource
import subprocess
from dataclasses import dataclass
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont, ImageOps
from pypdf import PdfReader

from szca_unlock.documents._fonts import find_face
from szca_unlock.domain.errors import ValidationError
from szca_unlock.domain.uploads import UploadKind, classify_upload, storage_name
from szca_unlock.logsetup import get_logger

_log = get_logger("documents.inspect")

MAX_IMAGE_PIXELS = 40_000_000  # 40 Mpx: a 300 dpi A4 scan is 8.7 Mpx, a phone photo 12-48
MAX_GIF_FRAMES = 100
MAX_PDF_PAGES = 20
PDF_EOF_WINDOW = 1024  # %%EOF must be within the last 1 KiB, as readers expect
PREVIEW_SIDE = 480
_PDFTOPPM_TIMEOUT_S = 15
_PDFTOPPM_MEMORY = 1 << 30
_PIL_FORMATS = {UploadKind.JPEG: "JPEG", UploadKind.BMP: "BMP", UploadKind.GIF: "GIF"}


@dataclass(frozen=True, slots=True)
class InspectedUpload:
    kind: UploadKind
    filename: str  # safe name with the real kind's extension
    size: int
    width: int | None = None  # images only
    height: int | None = None
    pages: int | None = None  # PDFs only

    @property
    def content_type(self) -> str:
        return self.kind.mime_type


@dataclass(frozen=True, slots=True)
class Preview:
    png: bytes
    placeholder: bool  # True when a PDF page could not be rendered


def _refuse(rule: str, message: str, field: str) -> ValidationError:
    return ValidationError(f"upload.{rule}", message, field)


def inspect_upload(filename: str, data: bytes, field: str = "file") -> InspectedUpload:
    """Checks name, size, type and content; raises ValidationError with a Chinese message."""
    kind = classify_upload(filename, data, field)
    name = storage_name(filename, kind)
    if kind is UploadKind.PDF:
        return InspectedUpload(kind, name, len(data), pages=_check_pdf(data, field))
    width, height = _check_image(data, kind, field)
    return InspectedUpload(kind, name, len(data), width=width, height=height)


def _check_image(data: bytes, kind: UploadKind, field: str) -> tuple[int, int]:
    corrupt = _refuse("image_corrupt", "图片文件已损坏或不完整，无法打开，请重新扫描或拍照后上传",
                      field)
    too_big = _refuse("image_too_large",
                      "图片尺寸过大（超过4000万像素），请降低分辨率后重新上传", field)
    try:
        # open() reads the header only: dimensions are checked before any pixel decode.
        # (Above 89 Mpx Pillow also warns, above 179 Mpx it raises DecompressionBombError;
        # our own limit is lower, so its global MAX_IMAGE_PIXELS is left alone.)
        with Image.open(BytesIO(data)) as image:
            width, height = image.size
            if image.format != _PIL_FORMATS[kind]:
                raise corrupt
            frames = getattr(image, "n_frames", 1)
            # every frame of an animated GIF is decoded below: the budget is for all of them
            if frames > MAX_GIF_FRAMES or frames * width * height > MAX_IMAGE_PIXELS:
                raise too_big
            image.verify()
        with Image.open(BytesIO(data)) as image:  # verify() leaves the image unusable
            for frame in range(frames):  # full decode: a truncated file fails here
                image.seek(frame)
                image.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise too_big from None
    except Exception as exc:  # any decoder failure means "not a valid image"
        _log.info("image refused: %s", type(exc).__name__)
        raise corrupt from None
    if width == 0 or height == 0:
        raise corrupt
    return width, height


def _check_pdf(data: bytes, field: str) -> int:
    corrupt = _refuse("pdf_corrupt", "PDF文件已损坏或不完整，无法打开，请重新生成后上传", field)
    if b"%%EOF" not in data[-PDF_EOF_WINDOW:]:
        raise corrupt
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _refuse("pdf_encrypted", "PDF文件已加密或设置了密码，请上传未加密的文件", field)
        pages = len(reader.pages)
        if pages:
            _ = reader.pages[0].mediabox  # the first page must really parse
    except ValidationError:
        raise
    except Exception as exc:  # pypdf raises many types on broken input
        _log.info("pdf refused: %s", type(exc).__name__)
        raise corrupt from None
    if pages == 0:
        raise corrupt
    if pages > MAX_PDF_PAGES:
        raise _refuse("pdf_pages", f"PDF文件页数过多（最多{MAX_PDF_PAGES}页），请只上传所需的资料",
                      field)
    return pages


def make_preview(data: bytes, kind: UploadKind, side: int = PREVIEW_SIDE) -> Preview:
    """A PNG thumbnail no larger than ``side`` px: the image itself (EXIF-rotated, first
    GIF frame) or the first PDF page; a drawn placeholder if the page cannot be rendered.
    Call only on data that passed ``inspect_upload``."""
    if kind is UploadKind.PDF:
        page = _render_pdf_page(data, side)
        if page is not None:
            return Preview(page, placeholder=False)
        return Preview(_placeholder_png(side), placeholder=True)
    with Image.open(BytesIO(data)) as image:
        image.seek(0)
        frame = ImageOps.exif_transpose(image).convert("RGBA")
    flat = Image.new("RGB", frame.size, "white")  # transparent GIF pixels show as paper
    flat.paste(frame, mask=frame.getchannel("A"))
    flat.thumbnail((side, side))
    return Preview(_png(flat), placeholder=False)


def _limit_child() -> None:
    # pdftoppm parses untrusted input: cap its memory and CPU time
    resource.setrlimit(resource.RLIMIT_AS, (_PDFTOPPM_MEMORY, _PDFTOPPM_MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (_PDFTOPPM_TIMEOUT_S, _PDFTOPPM_TIMEOUT_S))


def _render_pdf_page(data: bytes, side: int) -> bytes | None:
    """Page 1 as PNG via poppler's pdftoppm (poppler-utils), or None if it cannot."""
    command = ["pdftoppm", "-png", "-f", "1", "-l", "1", "-singlefile",
               "-scale-to", str(side), "-"]
    try:
        result = subprocess.run(command, input=data, capture_output=True, check=True,
                                timeout=_PDFTOPPM_TIMEOUT_S, preexec_fn=_limit_child)
    except (OSError, subprocess.SubprocessError) as exc:
        _log.warning("pdf preview not rendered: %s", type(exc).__name__)
        return None
    return result.stdout if result.stdout.startswith(b"\x89PNG") else None


def _placeholder_png(side: int) -> bytes:
    """A sheet with a folded corner and "PDF 文档", sized like an A4 thumbnail."""
    width, height = round(side / 1.414), side
    image = Image.new("RGB", (width, height), (244, 246, 249))
    draw = ImageDraw.Draw(image)
    fold = width // 5
    m = width // 10
    draw.polygon([(m, m), (width - m - fold, m), (width - m, m + fold), (width - m, height - m),
                  (m, height - m)], fill="white", outline=(150, 156, 164), width=2)
    draw.line([(width - m - fold, m), (width - m - fold, m + fold), (width - m, m + fold)],
              fill=(150, 156, 164), width=2)
    face = find_face("sans", "Bold")
    font = ImageFont.truetype(str(face.path), size=max(12, side // 12), index=face.index)
    draw.text((width / 2, height / 2), "PDF 文档", fill=(30, 64, 120), font=font, anchor="mm")
    return _png(image)


def _png(image: Image.Image) -> bytes:
    out = BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
