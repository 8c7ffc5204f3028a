import pytest

from szca_unlock.documents._fonts import FontNotFoundError, find_face


def test_simplified_chinese_face_is_found_by_name():
    face = find_face("sans", "Regular")
    assert face.path.name == "NotoSansCJK-Regular.ttc"
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(face.path), lazy=True)
    assert collection.fonts[face.index]["name"].getDebugName(1) == "Noto Sans CJK SC"


def test_missing_font_names_the_debian_package(tmp_path, monkeypatch):
    monkeypatch.setenv("SZCA_CJK_FONT_DIR", str(tmp_path))
    find_face.cache_clear()
    try:
        with pytest.raises(FontNotFoundError, match="fonts-noto-cjk"):
            find_face("serif", "Bold")
    finally:
        find_face.cache_clear()
