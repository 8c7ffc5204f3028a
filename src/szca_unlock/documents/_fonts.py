"""Finds the CJK fonts the documents embed: Noto Sans/Serif CJK SC from fonts-noto-cjk.

The fonts are OpenType with CFF outlines inside .ttc collections; fpdf2 embeds and
subsets them (reportlab cannot). The face inside a collection is found by its family
name, not by a fixed index, so a repacked collection cannot silently give the Japanese
glyph variants. ``SZCA_CJK_FONT_DIR`` points to another directory with the same files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTCollection

DEBIAN_PACKAGE = "fonts-noto-cjk"
_SEARCH_DIRS = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/local/share/fonts",
)
_FAMILY_PREFIX = {"sans": "Noto Sans CJK", "serif": "Noto Serif CJK"}
_REGION = "SC"  # simplified Chinese glyph forms


class FontNotFoundError(RuntimeError):
    """The CJK font is not installed: an operator problem, never a user's."""


@dataclass(frozen=True, slots=True)
class FontFace:
    path: Path
    index: int  # face number inside the .ttc collection


def _search_dirs() -> list[Path]:
    override = os.environ.get("SZCA_CJK_FONT_DIR")
    return [Path(override)] if override else [Path(d) for d in _SEARCH_DIRS]


@cache
def find_face(style: str = "sans", weight: str = "Regular") -> FontFace:
    """The SC face of Noto {Sans,Serif} CJK in ``weight`` (Regular or Bold)."""
    family = f"{_FAMILY_PREFIX[style]} {_REGION}"
    file_name = f"{_FAMILY_PREFIX[style].replace(' ', '')}-{weight}.ttc"
    for directory in _search_dirs():
        path = directory / file_name
        if not path.is_file():
            continue
        collection = TTCollection(str(path), lazy=True)
        try:
            for index, font in enumerate(collection.fonts):
                if font["name"].getDebugName(1) == family:
                    return FontFace(path, index)
        finally:
            collection.close()
    raise FontNotFoundError(
        f"{family} {weight} ({file_name}) not found in {[str(d) for d in _search_dirs()]}; "
        f"install the Debian package {DEBIAN_PACKAGE} or set SZCA_CJK_FONT_DIR"
    )
