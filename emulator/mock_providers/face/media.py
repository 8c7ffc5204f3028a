"""Pictures GetDetectInfoEnhanced returns, drawn per persona: the liveness video (a face that
turns a little, Motion-JPEG in an AVI container), its best frame, and the photographed ID card
(front with the holder's particulars, back with the issuing authority). Deterministic for an ID
number, base64 as Tencent returns them."""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import struct
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

# Debian's fonts-noto-cjk (scripts/install-system-deps.sh); Pillow's own font lacks CJK glyphs.
_CJK_FONTS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
_REGIONS = {"110101": ("北京市东城区", "北京市公安局东城分局"),
            "440303": ("广东省深圳市罗湖区", "深圳市公安局罗湖分局"),
            "440304": ("广东省深圳市福田区", "深圳市公安局福田分局"),
            "440305": ("广东省深圳市南山区", "深圳市公安局南山分局")}
_DEFAULT_REGION = ("广东省深圳市福田区", "深圳市公安局福田分局")


@dataclass(frozen=True)
class IdCardFace:
    """What the front and back of a resident ID card say (and what OCR reads back)."""

    name: str
    id_number: str
    gender: str
    nation: str
    birth: str  # 1990/1/1, as Tencent's OCR writes it
    address: str
    authority: str
    valid_date: str  # 2016.01.01-2036.01.01


def id_card_of(name: str, id_number: str) -> IdCardFace:
    region, authority = _REGIONS.get(id_number[:6], _DEFAULT_REGION)
    digits = id_number[6:14] if id_number[6:14].isdigit() else "19900101"
    year, month, day = digits[:4], int(digits[4:6]), int(digits[6:8])
    gender = "男" if id_number[16:17].isdigit() and int(id_number[16]) % 2 else "女"
    house = int(id_number[14:17]) if id_number[14:17].isdigit() else 1
    issued = int(year) + 26
    return IdCardFace(name, id_number, gender, "汉", f"{year}/{month}/{day}",
                      f"{region}示范路{house}号", authority,
                      f"{issued}.01.01-{issued + 20}.01.01")


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    for path in _CJK_FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


def _jpeg(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return base64.b64encode(buffer.getvalue()).decode()


def _tone(id_number: str) -> tuple[int, int, int]:
    seed = hashlib.sha256(id_number.encode()).digest()
    return 200 + seed[0] % 40, 160 + seed[1] % 40, 130 + seed[2] % 40


def _draw_face(id_number: str, size: tuple[int, int], shift: int = 0) -> Image.Image:
    width, height = size
    image = Image.new("RGB", size, (228, 232, 238))
    draw = ImageDraw.Draw(image)
    cx, cy = width // 2 + shift, height // 2
    rx, ry = width * 3 // 10, height * 3 // 10
    draw.rectangle((cx - rx - 10, cy + ry - 10, cx + rx + 10, height), fill=(52, 73, 94))
    draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=_tone(id_number))
    hair = hashlib.sha256(id_number.encode()).digest()[3] % 60
    draw.chord((cx - rx, cy - ry, cx + rx, cy + ry // 2), 180, 360, fill=(hair, hair, hair))
    for ex in (cx - rx // 2, cx + rx // 2):
        draw.ellipse((ex - 8, cy - 6, ex + 8, cy + 6), fill=(40, 40, 40))
    draw.arc((cx - rx // 2, cy + ry // 4, cx + rx // 2, cy + ry * 2 // 3), 20, 160,
             fill=(150, 60, 60), width=4)
    return image


@functools.lru_cache(maxsize=256)
def best_frame(id_number: str, index: int = 0) -> str:
    """The liveness video's best frame (``index`` > 0: another frame, the head moved a bit)."""
    return _jpeg(_draw_face(id_number, (360, 480), shift=(index % 5 - 2) * 6))


@functools.lru_cache(maxsize=128)
def id_card_images(name: str, id_number: str) -> tuple[str, str, str]:
    """(front, back, avatar) of the ID card, base64 JPEG."""
    card = id_card_of(name, id_number)
    small, large = _font(22), _font(30)
    front = Image.new("RGB", (856, 540), (245, 243, 236))
    draw = ImageDraw.Draw(front)
    rows = [("姓名", card.name), ("性别", f"{card.gender}    民族  {card.nation}"),
            ("出生", card.birth.replace("/", " 年 ", 1).replace("/", " 月 ") + " 日"),
            ("住址", card.address)]
    for i, (label, value) in enumerate(rows):
        draw.text((60, 60 + i * 70), label, fill=(60, 90, 150), font=small)
        draw.text((150, 55 + i * 70), value, fill=(20, 20, 20), font=large)
    draw.text((60, 440), "公民身份号码", fill=(60, 90, 150), font=small)
    draw.text((260, 432), card.id_number, fill=(20, 20, 20), font=large)
    avatar = _draw_face(id_number, (220, 280))
    front.paste(avatar, (590, 60))
    back = Image.new("RGB", (856, 540), (236, 241, 245))
    draw = ImageDraw.Draw(back)
    draw.text((240, 80), "中华人民共和国", fill=(180, 30, 30), font=_font(44))
    draw.text((300, 150), "居民身份证", fill=(180, 30, 30), font=_font(40))
    draw.text((120, 360), f"签发机关    {card.authority}", fill=(20, 20, 20), font=small)
    draw.text((120, 420), f"有效期限    {card.valid_date}",
              fill=(20, 20, 20), font=small)
    return _jpeg(front), _jpeg(back), _jpeg(avatar)


VIDEO_FPS = 6
VIDEO_FRAMES = 12  # two seconds, the shortest liveness video Tencent accepts (1303)


@functools.lru_cache(maxsize=64)
def liveness_video(id_number: str) -> str:
    """The liveness video: ``VIDEO_FRAMES`` JPEG frames of the persona's face, Motion-JPEG AVI."""
    frames = []
    for i in range(VIDEO_FRAMES):
        buffer = io.BytesIO()
        _draw_face(id_number, (240, 320), shift=(i % 6 - 3) * 4).save(buffer, "JPEG", quality=70)
        frames.append(buffer.getvalue())
    return base64.b64encode(mjpeg_avi(frames, 240, 320, VIDEO_FPS)).decode()


def _chunk(fourcc: bytes, data: bytes) -> bytes:
    return fourcc + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")


def _list(kind: bytes, data: bytes) -> bytes:
    return _chunk(b"LIST", kind + data)


def mjpeg_avi(frames: list[bytes], width: int, height: int, fps: int) -> bytes:
    """A RIFF AVI with one Motion-JPEG video stream and an index (what any player opens)."""
    largest = max(len(f) for f in frames)
    avih = struct.pack("<10I4I", 1_000_000 // fps, largest * fps, 0, 0x10, len(frames), 0, 1,
                       largest, width, height, 0, 0, 0, 0)
    strh = struct.pack("<4s4sIHHIIIIIIiI4h", b"vids", b"MJPG", 0, 0, 0, 0, 1, fps, 0,
                       len(frames), largest, -1, 0, 0, 0, width, height)
    strf = struct.pack("<IiiHH4sIiiII", 40, width, height, 1, 24, b"MJPG", width * height * 3,
                       0, 0, 0, 0)
    header = _list(b"hdrl", _chunk(b"avih", avih)
                   + _list(b"strl", _chunk(b"strh", strh) + _chunk(b"strf", strf)))
    movi, index, offset = b"", b"", 4  # offsets count from the "movi" fourcc
    for frame in frames:
        chunk = _chunk(b"00dc", frame)
        index += struct.pack("<4sIII", b"00dc", 0x10, offset, len(frame))
        movi, offset = movi + chunk, offset + len(chunk)
    body = b"AVI " + header + _list(b"movi", movi) + _chunk(b"idx1", index)
    return b"RIFF" + struct.pack("<I", len(body)) + body
