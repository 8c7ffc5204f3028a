"""Helpers that look at a PDF the way a person would: its text, and the page as pixels."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest


def _pdf_text(pdf: bytes) -> str:
    """The text poppler extracts (what a viewer's copy/search sees), without whitespace,
    so a value wrapped over two lines still matches."""
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                            check=True)
    return "".join(result.stdout.decode("utf-8").split())


def _render_page(pdf: bytes, dpi: int = 150) -> Path:
    """Page 1 rendered to a PNG by pdftoppm, as a printer or screen would."""
    directory = Path(tempfile.mkdtemp(prefix="szca-pdf-"))
    (directory / "in.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(directory / "in.pdf"), str(directory / "page")], check=True)
    return directory / "page.png"


@pytest.fixture
def pdf_text() -> Callable[[bytes], str]:
    return _pdf_text


@pytest.fixture
def render_page() -> Callable[..., Path]:
    return _render_page


# --- sample uploads, made fresh so every byte of them is known ---------------------------

def _image_bytes(fmt: str, size: tuple[int, int] = (120, 80), noise: bool = True,
                 **save: object) -> bytes:
    from PIL import Image  # local: only the upload tests need it

    image = (Image.effect_noise(size, 60).convert("RGB") if noise
             else Image.new("RGB", size, (200, 30, 30)))
    if fmt == "GIF":
        image = image.convert("P")
    out = BytesIO()
    image.save(out, format=fmt, **save)
    return out.getvalue()


def _pdf_bytes(pages: int = 1, password: str | None = None) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def make_image() -> Callable[..., bytes]:
    return _image_bytes


@pytest.fixture
def make_pdf() -> Callable[..., bytes]:
    return _pdf_bytes
