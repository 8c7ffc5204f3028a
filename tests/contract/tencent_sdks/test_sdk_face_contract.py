"""GetDetectInfoEnhanced returns realistic payloads through both official SDKs: the persona's
face and ID card pictures, OCR fields, one detail entry per liveness attempt, InfoType and the
picture options honoured; encryption options refused with Tencent's codes."""

from __future__ import annotations

import base64
import io
import struct

import pytest
from PIL import Image

from emulator.mock_providers.catalogue import FACE_BASE
from emulator.mock_providers.face.codes import magic_id

PASS_ID = magic_id(0)


def _session(call, id_number=PASS_ID, **query):
    answer = call("faceid", "DetectAuth", {**FACE_BASE, "IdCard": id_number},
                  then={"action": "GetDetectInfoEnhanced",
                        "params": {"RuleId": "1", "InfoType": "0", **query},
                        "carry": ["BizToken"]})
    assert answer["ok"], answer
    return answer["response"]


def _jpeg(b64: str) -> Image.Image:
    image = Image.open(io.BytesIO(base64.b64decode(b64)))
    assert image.format == "JPEG"
    return image


def test_a_passed_session_carries_face_id_card_and_ocr(call):
    info = _session(call, BestFramesCount=2, IsCutIdCardImage=True, IsNeedIdCardAvatar=True)
    text = info["Text"]
    assert (text["ErrCode"], text["OcrName"], text["OcrIdCard"], text["OcrGender"]) == (
        0, FACE_BASE["Name"], PASS_ID, "男" if int(PASS_ID[16]) % 2 else "女")
    assert text["OcrBirth"] == "1900/1/1" and text["OcrAuthority"] and text["OcrValidDate"]
    [detail] = text["LivenessDetail"]
    assert (detail["Errcode"], detail["Livestatus"], detail["Comparestatus"], detail["Sim"],
            detail["IsNeedCharge"], detail["Idcard"]) == (0, 0, 0, "92.35", True, PASS_ID)
    assert detail["ReqTime"].isdigit() and detail["Seq"]
    assert _jpeg(info["BestFrame"]["BestFrame"]).size == (360, 480)
    assert len(info["BestFrame"]["BestFrames"]) == 2
    card = info["IdCardData"]
    assert _jpeg(card["OcrFront"]).size == _jpeg(card["OcrBack"]).size == (856, 540)
    assert card["ProcessedFrontImage"] and card["Avatar"]
    assert info["IntentionVerifyType"] == "" and info["IsVerifyIntention"] is False


def test_the_same_persona_always_gets_the_same_face(call):
    first, second = _session(call), _session(call)
    assert first["BestFrame"]["BestFrame"] == second["BestFrame"]["BestFrame"]
    assert first["BestFrame"]["BestFrame"] != _session(call, magic_id(2016))["BestFrame"][
        "BestFrame"]


PARTS = ("Text", "IdCardData", "BestFrame", "VideoData")


@pytest.mark.parametrize(("info_type", "present"), [
    ("1", {"Text"}), ("2", {"IdCardData"}), ("3", {"BestFrame"}), ("4", {"VideoData"}),
    ("13", {"Text", "BestFrame"}), ("0", set(PARTS))])
def test_info_type_selects_what_comes_back(call, info_type, present):
    info = _session(call, InfoType=info_type)
    assert {k for k in PARTS if info.get(k) is not None} == present


def _riff_chunks(data: bytes, start: int, end: int) -> list[tuple[bytes, bytes]]:
    chunks, at = [], start
    while at < end:
        fourcc, size = data[at:at + 4], struct.unpack("<I", data[at + 4:at + 8])[0]
        chunks.append((fourcc, data[at + 8:at + 8 + size]))
        at += 8 + size + size % 2
    return chunks


def test_the_liveness_video_is_a_motion_jpeg_avi_of_the_persona(call):
    video = base64.b64decode(_session(call, InfoType="4")["VideoData"]["LivenessVideo"])
    assert video[:4] == b"RIFF" and video[8:12] == b"AVI "
    assert struct.unpack("<I", video[4:8])[0] == len(video) - 8
    top = dict((c[:4] if k == b"LIST" else k, c) for k, c in _riff_chunks(video, 12, len(video)))
    frames = [c for k, c in _riff_chunks(top[b"movi"], 4, len(top[b"movi"])) if k == b"00dc"]
    avih = _riff_chunks(top[b"hdrl"], 4, len(top[b"hdrl"]))[0][1]
    total, width, height = (struct.unpack("<I", avih[i:i + 4])[0] for i in (16, 32, 36))
    assert total == len(frames) == len(top[b"idx1"]) // 16 >= 12
    assert all(_jpeg(base64.b64encode(f).decode()).size == (width, height) for f in frames)


def test_without_options_no_cut_images_avatar_or_extra_frames(call):
    info = _session(call)
    assert info["IdCardData"]["OcrFront"]
    assert info["IdCardData"].get("Avatar") is None
    assert info["IdCardData"].get("ProcessedFrontImage") is None
    assert info["BestFrame"].get("BestFrames") in (None, [])


def test_a_session_that_stopped_before_liveness_has_no_pictures(call):
    info = _session(call, magic_id(15))
    assert info["Text"]["ErrCode"] == 15 and info["Text"]["LivenessDetail"] == []
    assert info.get("BestFrame") is None and info.get("IdCardData") is None
    assert info["Text"].get("OcrName") is None


def test_failed_retries_before_the_final_try_are_detail_entries(call, mock_providers):
    session = call("faceid", "DetectAuth", {**FACE_BASE, "IdCard": "110101199003070011"})
    token = session["response"]["BizToken"]
    mock_providers.seed({"face": [{"name": FACE_BASE["Name"], "id_number": "110101199003070011"}]})
    mock_providers.face_complete(token, "pass", retries=("errcode_1001", "face_mismatch"))
    info = call("faceid", "GetDetectInfoEnhanced", {"BizToken": token, "RuleId": "1"})
    details = info["response"]["Text"]["LivenessDetail"]
    assert [(d["Errcode"], d.get("Livestatus"), d.get("Comparestatus")) for d in details] == [
        (1001, 1001, None), (2016, 0, 2016), (0, 0, 0)]


@pytest.mark.parametrize(("query", "code"), [
    ({"InfoType": "17"}, "InvalidParameterValue"),
    ({"IsEncryptResponse": True}, "FailedOperation.EncryptSystemError"),
    ({"Encryption": {"Algorithm": "AES-256-CBC"}}, "FailedOperation.EncryptSystemError"),
    ({"RuleId": "5"}, "InvalidParameterValue.RuleIdNotExist"),
    ({"RuleId": "9"}, "InvalidParameterValue.RuleIdDisabled"),
])
def test_query_options_the_mock_cannot_serve_are_refused(call, query, code):
    answer = call("faceid", "DetectAuth", {**FACE_BASE, "IdCard": PASS_ID},
                  then={"action": "GetDetectInfoEnhanced",
                        "params": {"RuleId": "1", "InfoType": "0", **query},
                        "carry": ["BizToken"]})
    assert (answer["ok"], answer["error"]["code"]) == (False, code)
