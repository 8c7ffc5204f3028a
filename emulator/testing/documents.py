"""Sample files an applicant uploads in the manual-review tests: a real JPEG per call,
distinct by ``mark`` (the same picture twice would be the same file)."""

from __future__ import annotations

import io

from PIL import Image


def photo(mark: str) -> bytes:
    """A small JPEG (a document-like card) with ``mark`` appended after its end marker:
    still a valid image, a different file for each mark."""
    image = Image.new("RGB", (480, 320), (236, 240, 246))
    image.paste((20, 40, 90), (40, 40, 440, 60))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue() + mark.encode()
