from io import BytesIO

import pytest
from PIL import Image

from szca_unlock.documents import inspect as inspect_module
from szca_unlock.documents.inspect import (
    MAX_PDF_PAGES,
    PREVIEW_SIDE,
    inspect_upload,
    make_preview,
)
from szca_unlock.documents.intake import accept_upload
from szca_unlock.documents.storage import UploadStorage
from szca_unlock.domain.errors import ValidationError
from szca_unlock.domain.uploads import MAX_UPLOAD_BYTES, UploadKind


def _refused(filename, data):
    with pytest.raises(ValidationError) as info:
        inspect_upload(filename, data)
    return info.value


@pytest.mark.parametrize(("fmt", "kind", "name"), [
    ("JPEG", UploadKind.JPEG, "身份证扫描件.JPEG"),
    ("BMP", UploadKind.BMP, "scan.bmp"),
    ("GIF", UploadKind.GIF, "work-id.gif"),
])
def test_each_image_type_passes(make_image, fmt, kind, name):
    result = inspect_upload(name, make_image(fmt))
    assert (result.kind, result.width, result.height) == (kind, 120, 80)
    assert result.content_type == kind.mime_type


def test_pdf_passes_with_page_count(make_pdf):
    result = inspect_upload("申请表.pdf", make_pdf(pages=2))
    assert (result.kind, result.pages, result.filename) == (UploadKind.PDF, 2, "申请表.pdf")


def test_type_comes_from_content_not_name(make_image):
    result = inspect_upload("photo.pdf", make_image("JPEG"))
    assert result.kind is UploadKind.JPEG and result.filename == "photo.jpg"


@pytest.mark.parametrize("fmt", ["JPEG", "BMP", "GIF"])
def test_truncated_image_is_refused(make_image, fmt):
    data = make_image(fmt, size=(300, 300))
    error = _refused("scan.img", data[: len(data) * 2 // 3])
    assert error.code == "upload.image_corrupt"
    assert "损坏或不完整" in error.message


def _patch_jpeg_size(data: bytes, width: int, height: int) -> bytes:
    at = data.index(b"\xff\xc0") + 5  # SOF0: marker, length(2), precision(1), then H, W
    return data[:at] + height.to_bytes(2, "big") + width.to_bytes(2, "big") + data[at + 4:]


@pytest.mark.parametrize(("width", "height"), [(8000, 6000), (65000, 65000)])
def test_jpeg_claiming_huge_dimensions_is_refused_before_decoding(make_image, width, height):
    data = _patch_jpeg_size(make_image("JPEG", size=(16, 16)), width, height)
    error = _refused("bomb.jpg", data)
    assert error.code == "upload.image_too_large"
    assert "4000万像素" in error.message


def test_real_decompression_bomb_under_2mb_is_refused():
    image = Image.new("L", (6400, 6400), 255)  # 41 Mpx of white compresses to a few hundred KB
    out = BytesIO()
    image.save(out, format="JPEG", quality=5)
    assert len(out.getvalue()) < MAX_UPLOAD_BYTES
    assert _refused("white.jpg", out.getvalue()).code == "upload.image_too_large"


def test_gif_with_huge_screen_is_refused(make_image):
    data = bytearray(make_image("GIF", size=(16, 16)))
    data[6:10] = (60000).to_bytes(2, "little") * 2  # logical screen width, height
    assert _refused("bomb.gif", bytes(data)).code == "upload.image_too_large"


def test_bmp_with_huge_dimensions_is_refused(make_image):
    data = bytearray(make_image("BMP", size=(16, 16)))
    data[18:26] = (20000).to_bytes(4, "little") * 2  # biWidth, biHeight
    assert _refused("bomb.bmp", bytes(data)).code == "upload.image_too_large"


def test_image_of_another_format_behind_a_jpeg_header_is_refused():
    error = _refused("fake.jpg", b"\xff\xd8\xff" + b"\x00" * 500)
    assert error.code == "upload.image_corrupt"


def test_truncated_pdf_is_refused(make_pdf):
    data = make_pdf(pages=3)
    error = _refused("form.pdf", data[: len(data) // 2])
    assert error.code == "upload.pdf_corrupt"
    assert "PDF文件已损坏" in error.message


def test_pdf_shell_without_pages_is_refused():
    assert _refused("x.pdf", b"%PDF-1.7\nnot really a pdf\n%%EOF\n").code == "upload.pdf_corrupt"


def test_encrypted_pdf_is_refused(make_pdf):
    error = _refused("locked.pdf", make_pdf(password="secret"))
    assert error.code == "upload.pdf_encrypted" and "加密" in error.message


def test_pdf_with_too_many_pages_is_refused(make_pdf):
    assert _refused("book.pdf", make_pdf(pages=MAX_PDF_PAGES + 1)).code == "upload.pdf_pages"


@pytest.mark.parametrize(("name", "data", "code"), [
    ("setup.jpg", b"MZ\x90\x00" + b"\x00" * 100, "upload.type"),
    ("run.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "upload.type"),
    ("empty.jpg", b"", "upload.empty"),
    ("big.jpg", b"\xff\xd8\xff" + b"\x00" * MAX_UPLOAD_BYTES, "upload.too_large"),
    ("../../etc/passwd.jpg", b"\xff\xd8\xff\xe0", "upload.filename_path"),
])
def test_domain_rules_apply_and_nothing_is_stored(tmp_path, name, data, code):
    store = UploadStorage(tmp_path)
    with pytest.raises(ValidationError) as info:
        accept_upload(store, name, data)
    assert info.value.code == code
    assert [p for p in (tmp_path / "objects").rglob("*") if p.is_file()] == []


def test_refused_bomb_is_not_stored_either(tmp_path, make_image):
    store = UploadStorage(tmp_path)
    bomb = _patch_jpeg_size(make_image("JPEG", size=(16, 16)), 9000, 9000)
    with pytest.raises(ValidationError):
        accept_upload(store, "bomb.jpg", bomb)
    assert [p for p in (tmp_path / "objects").rglob("*") if p.is_file()] == []


def test_accepted_upload_is_stored_with_its_real_type(tmp_path, make_image):
    store = UploadStorage(tmp_path)
    data = make_image("GIF")
    accepted = accept_upload(store, "证件.jpg", data)
    assert accepted.stored.content_type == "image/gif"
    assert store.read(accepted.stored.sha256) == data


def _png_size(png: bytes) -> tuple[int, int]:
    with Image.open(BytesIO(png)) as image:
        assert image.format == "PNG"
        return image.size


def test_image_preview_is_a_small_png(make_image):
    preview = make_preview(make_image("JPEG", size=(1600, 1200)), UploadKind.JPEG)
    assert not preview.placeholder
    assert _png_size(preview.png) == (PREVIEW_SIDE, 360)


def test_image_preview_follows_exif_rotation(make_image):
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display", as phones write it
    data = make_image("JPEG", size=(400, 200), exif=exif.tobytes())
    width, height = _png_size(make_preview(data, UploadKind.JPEG).png)
    assert height > width


def test_pdf_preview_renders_the_first_page(make_pdf):
    preview = make_preview(make_pdf(), UploadKind.PDF)
    assert not preview.placeholder
    width, height = _png_size(preview.png)
    assert height == PREVIEW_SIDE and width < height  # portrait A4


def test_pdf_preview_falls_back_to_a_placeholder(make_pdf, monkeypatch):
    def no_poppler(*args, **kwargs):
        raise FileNotFoundError("pdftoppm")

    monkeypatch.setattr(inspect_module.subprocess, "run", no_poppler)
    preview = make_preview(make_pdf(), UploadKind.PDF)
    assert preview.placeholder
    width, height = _png_size(preview.png)
    assert height == PREVIEW_SIDE and width < height


def test_gif_with_too_many_frames_is_refused():
    count = inspect_module.MAX_GIF_FRAMES + 1
    frames = [Image.new("RGB", (8, 8), "red" if i % 2 else "blue") for i in range(count)]
    out = BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:])
    assert _refused("anim.gif", out.getvalue()).code == "upload.image_too_large"


def test_animated_gif_preview_shows_the_first_frame():
    frames = [Image.new("RGB", (40, 40), colour) for colour in ("red", "blue")]
    out = BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:])
    assert inspect_upload("anim.gif", out.getvalue()).kind is UploadKind.GIF
    with Image.open(BytesIO(make_preview(out.getvalue(), UploadKind.GIF).png)) as preview:
        red, _green, blue = preview.convert("RGB").getpixel((20, 20))
    assert red > 200 and blue < 60


def test_gif_truncated_in_a_later_frame_is_refused():
    frames = [Image.effect_noise((64, 64), 80).convert("P") for _ in range(3)]
    out = BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:])
    data = out.getvalue()
    assert _refused("anim.gif", data[: len(data) - 2000]).code == "upload.image_corrupt"


def test_animated_gif_pixel_budget_counts_every_frame(monkeypatch):
    monkeypatch.setattr(inspect_module, "MAX_IMAGE_PIXELS", 10_000)  # small, for speed
    frames = [Image.new("RGB", (64, 64), "red" if i % 2 else "blue") for i in range(3)]
    assert inspect_upload("one.gif", _gif(frames[:1])).width == 64  # 4096 px: fine
    assert _refused("three.gif", _gif(frames)).code == "upload.image_too_large"  # 12288 px


def _gif(frames):
    out = BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:])
    return out.getvalue()
