"""Request bodies are refused above the route's limit before they are read (413, envelope)."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.testclient import TestClient

from szca_unlock.service.body_limits import JSON_LIMIT, UPLOAD_LIMIT


def _padded_json(size: int) -> bytes:
    # Valid JSON whatever the size: whitespace after the object.
    body = b'{"mobile": "13800138000"}'
    return body + b" " * (size - len(body))


def _chunks(data: bytes, size: int = 4096) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


def test_oversized_json_with_a_length_is_refused_413_in_chinese(client: TestClient) -> None:
    answer = client.post("/api/auth/sms-code", content=_padded_json(JSON_LIMIT + 1),
                         headers={"Content-Type": "application/json"})
    assert answer.status_code == 413
    error = answer.json()["error"]
    assert error["code"] == "request.too_large"
    assert "提交的内容过大" in error["message"] and "16KB" in error["message"]


def test_oversized_chunked_json_is_cut_off_at_the_limit(client: TestClient) -> None:
    # No Content-Length: the body is counted while it is read.
    answer = client.post("/api/auth/sms-code", content=_chunks(_padded_json(JSON_LIMIT * 4)),
                         headers={"Content-Type": "application/json"})
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "request.too_large"


def test_a_body_within_the_limit_reaches_the_route(client: TestClient) -> None:
    answer = client.post("/api/auth/sms-code", content=_padded_json(JSON_LIMIT),
                         headers={"Content-Type": "application/json"})
    assert answer.status_code == 202


def test_the_upload_route_takes_2m_plus_the_envelope_and_no_more(client: TestClient) -> None:
    url = "/api/orders/JS202611260001/documents/id_scan"
    big = {"file": ("scan.jpg", b"\xff" * UPLOAD_LIMIT, "image/jpeg")}
    refused = client.post(url, files=big)
    assert refused.status_code == 413
    assert refused.json()["error"] == {
        "code": "upload.too_large", "field": "file",
        "message": "文件大小不能超过2M，请压缩或降低扫描分辨率后重新上传"}
    # Larger than any JSON body but within the upload limit: read, then the login is asked for.
    fits = client.post(url, files={"file": ("scan.jpg", b"\xff" * (JSON_LIMIT * 8), "image/jpeg")})
    assert fits.status_code == 401
