"""Face liveness: DetectAuth → session with a scannable QR; GetDetectInfoEnhanced → outcomes."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import responses
from PIL import Image
from provider_stubs import FAULTS, TENCENT_URL, Fault, tencent_error, tencent_fault, tencent_ok
from pyzbar.pyzbar import decode

from szca_unlock.config import ProviderEndpoints
from szca_unlock.providers import (
    FaceClient,
    FaceOutcome,
    FaultKind,
    ProviderRejected,
    ProviderUnavailable,
)
from szca_unlock.providers._retry import RetryPolicy

NAME, ID_NUMBER = "王五", "110101199003074477"
TOKEN = "CE661F1A-0F1E-45BD-BE13-34C05CEA7681"
URL = f"https://faceid.qq.com/api/auth/getLiveMode?token={TOKEN}"
RESULT = "GetDetectInfoEnhanced"


@pytest.fixture
def client(endpoints: ProviderEndpoints) -> FaceClient:
    return FaceClient(endpoints, retry=RetryPolicy(retries=2, backoff_s=0))


def _text(err: int | None, msg: str | None = None, live: int | None = None,
          compare: int | None = None, sim: str | None = None) -> dict[str, Any]:
    return {"ErrCode": err, "ErrMsg": msg, "IdCard": ID_NUMBER, "Name": NAME, "LiveStatus": live,
            "LiveMsg": msg, "Comparestatus": compare, "Comparemsg": msg, "Sim": sim}


def test_start_returns_token_url_and_a_qr_png_that_scans_to_the_url(
    rsps: responses.RequestsMock, client: FaceClient,
) -> None:
    tencent_ok(rsps, "DetectAuth", BizToken=TOKEN, Url=URL)
    before = datetime.now(UTC)
    session = client.start(NAME, ID_NUMBER, "https://wt.szca.net/face/done")
    assert session.biz_token == TOKEN and session.url == URL
    assert session.qr_png.startswith(b"\x89PNG\r\n\x1a\n")
    decoded = decode(Image.open(io.BytesIO(session.qr_png)))
    assert [d.data.decode() for d in decoded] == [URL]
    assert before + timedelta(seconds=7199) < session.expires_at <= datetime.now(UTC) + timedelta(
        seconds=7200)
    body = json.loads(rsps.calls[0].request.body)
    assert body == {"RuleId": "1", "Name": NAME, "IdCard": ID_NUMBER,
                    "RedirectUrl": "https://wt.szca.net/face/done"}


def test_start_without_token_is_malformed(
    rsps: responses.RequestsMock, client: FaceClient,
) -> None:
    tencent_ok(rsps, "DetectAuth", Url=URL)
    with pytest.raises(ProviderUnavailable) as info:
        client.start(NAME, ID_NUMBER, "https://wt.szca.net/face/done")
    assert info.value.fault is FaultKind.MALFORMED


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_start_fault_is_unavailable_and_not_retried(
    rsps: responses.RequestsMock, client: FaceClient, fault: Fault,
) -> None:
    tencent_fault(rsps, "DetectAuth", fault)
    with pytest.raises(ProviderUnavailable) as info:
        client.start(NAME, ID_NUMBER, "https://wt.szca.net/face/done")
    assert info.value.fault is fault.kind
    assert info.value.message == "人脸核身服务暂时不可用，请稍后重试"
    assert len(rsps.calls) == 1  # every DetectAuth opens a new session


@pytest.mark.parametrize(
    ("text", "outcome", "words"),
    [(_text(None), FaceOutcome.PENDING, "扫一扫"),
     (_text(0, "成功", 0, 0, "92.35"), FaceOutcome.PASSED, "通过"),
     (_text(1004, "人脸验证失败，请重试", 1004), FaceOutcome.LIVENESS_FAILED, "活体检测未通过"),
     (_text(2016, "无法判断为同一人", 0, 2016, "41.27"), FaceOutcome.FACE_MISMATCH, "比对未通过"),
     (_text(2006, "姓名和身份证号不匹配", 0, 2006), FaceOutcome.FACE_MISMATCH, "姓名和身份证"),
     (_text(2005, "未查询到身份信息", 0, 2005), FaceOutcome.FACE_MISMATCH, "未查询到"),
     (_text(15, "Token 过期，请重试"), FaceOutcome.TIMEOUT, "超时"),
     (_text(17, "本次流程未完成"), FaceOutcome.CANCELLED, "未完成")],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_result_maps_each_phone_outcome(
    rsps: responses.RequestsMock, client: FaceClient, text: dict[str, Any],
    outcome: FaceOutcome, words: str,
) -> None:
    tencent_ok(rsps, RESULT, Text=text, IdCardData=None, BestFrame=None)
    got = client.result(TOKEN)
    assert got.outcome is outcome
    assert got.verified is (outcome is FaceOutcome.PASSED)
    assert got.finished is (outcome is not FaceOutcome.PENDING)
    assert words in got.message
    assert got.raw_code == (None if text["ErrCode"] is None else str(text["ErrCode"]))
    assert json.loads(rsps.calls[0].request.body)["BizToken"] == TOKEN


def test_missing_text_is_still_pending(rsps: responses.RequestsMock, client: FaceClient) -> None:
    tencent_ok(rsps, RESULT, Text=None)
    assert client.result(TOKEN).outcome is FaceOutcome.PENDING


def test_expired_token_is_an_outcome(rsps: responses.RequestsMock, client: FaceClient) -> None:
    tencent_error(rsps, RESULT, "InvalidParameterValue.BizTokenExpired", "BizToken expired")
    got = client.result(TOKEN)
    assert got.outcome is FaceOutcome.EXPIRED and not got.verified
    assert got.raw_code == "InvalidParameterValue.BizTokenExpired"
    assert "过期" in got.message


def test_unknown_token_is_rejected(rsps: responses.RequestsMock, client: FaceClient) -> None:
    tencent_error(rsps, RESULT, "InvalidParameterValue.BizTokenIllegal")
    with pytest.raises(ProviderRejected):
        client.result(TOKEN)


def test_service_error_code_in_text_is_unavailable(
    rsps: responses.RequestsMock, client: FaceClient,
) -> None:
    tencent_ok(rsps, RESULT, Text=_text(4, "服务异常"))
    with pytest.raises(ProviderUnavailable) as info:
        client.result(TOKEN)
    assert info.value.raw_code == "4"


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_result_is_retried_after_a_fault(
    rsps: responses.RequestsMock, client: FaceClient, fault: Fault,
) -> None:
    tencent_fault(rsps, RESULT, fault)
    tencent_ok(rsps, RESULT, Text=_text(0, "成功", 0, 0, "92.35"))
    assert client.result(TOKEN).outcome is FaceOutcome.PASSED
    assert len(rsps.calls) == 2


def test_result_gives_up_after_three_attempts(
    rsps: responses.RequestsMock, client: FaceClient,
) -> None:
    rsps.post(TENCENT_URL, status=503, body="Service Unavailable", content_type="text/plain")
    with pytest.raises(ProviderUnavailable) as info:
        client.result(TOKEN)
    assert info.value.http_status == 503
    assert len(rsps.calls) == 3
