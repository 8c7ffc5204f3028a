"""Helpers that look at a PDF the way a person would: its text, and the page as pixels."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
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
