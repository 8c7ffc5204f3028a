"""The official Tencent Cloud SDKs, pointed at the live mock, get right answers and real errors."""

from __future__ import annotations

import hashlib
import json
import time

import httpx
import pytest
from provider_calls import (
    DEFAULTS,
    bank_4e,
    detect_auth,
    detect_info,
    phone_verification,
    send_sms,
)
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from emulator.mock_providers import tc3

ZHANG = {"name": "张三", "id_number": "44030519900101123X", "mobile": "13800138000",
         "card_number": "6222020200112233446"}


@pytest.fixture
def zhang(mock_providers):
    record = {k: ZHANG[k] for k in ("name", "id_number", "mobile")}
    mock_providers.seed({"carrier": [record],
                         "face": [{"name": "张三", "id_number": ZHANG["id_number"]}],
                         "bank": [{**record, "card_number": ZHANG["card_number"]}]})
    return ZHANG


def test_phone_verification_matches_seeded_record_and_reports_isp(faceid, zhang):
    resp = phone_verification(faceid, zhang["name"], zhang["id_number"], zhang["mobile"])
    assert (resp.Result, resp.Description, resp.Isp) == ("0", "认证通过", "移动")
    assert resp.RequestId


def test_phone_verification_detailed_mismatch_names_the_element(faceid, zhang):
    resp = phone_verification(faceid, "李四", zhang["id_number"], zhang["mobile"], VerifyMode="1")
    assert (resp.Result, resp.Description) == ("-4", "三要素信息不一致")
    assert resp.ResultDetail == "PhoneNameMismatch"


def test_bank_card_4e_match_and_reserved_mobile_mismatch(faceid, zhang):
    ok = bank_4e(faceid, zhang["name"], zhang["id_number"], zhang["card_number"], zhang["mobile"])
    assert (ok.Result, ok.Description) == ("0", "认证通过")
    wrong = bank_4e(faceid, zhang["name"], zhang["id_number"], zhang["card_number"], "13900139000")
    assert (wrong.Result, wrong.Description) == ("-1", "认证未通过：银行预留手机号不一致")


def test_detect_auth_gives_token_url_then_result_after_phone_completes(faceid, zhang,
                                                                       mock_providers):
    session = detect_auth(faceid, zhang["name"], zhang["id_number"])
    assert session.Url.startswith("https://") and session.BizToken in session.Url
    pending = detect_info(faceid, session.BizToken)
    assert pending.Text.ErrCode is None and pending.Text.LiveStatus is None
    mock_providers.face_complete(session.BizToken, "pass")
    done = detect_info(faceid, session.BizToken).Text
    assert (done.ErrCode, done.ErrMsg, done.LiveStatus, done.Comparestatus) == (0, "成功", 0, 0)
    assert done.IdCard == zhang["id_number"] and done.Name == "张三"
    assert float(done.Sim) >= 70


def test_send_sms_lands_in_outbox_with_rendered_template(sms, mock_providers):
    resp = send_sms(sms, "+8613800138000", "1000001", ("654321", "5"))
    status = resp.SendStatusSet[0]
    assert (status.Code, status.PhoneNumber, status.Fee) == ("Ok", "+8613800138000", 1)
    message = mock_providers.last_sms("13800138000")
    assert message.params == ("654321", "5") and message.template_id == "1000001"
    assert "654321" in message.text and message.text.startswith("【深圳CA】")


def test_outbox_is_per_mobile_newest_first(sms, mock_providers):
    send_sms(sms, "13800138000", params=("111111", "5"))
    send_sms(sms, "13900139000", params=("222222", "5"))
    send_sms(sms, "13800138000", params=("333333", "5"))
    assert [m.params[0] for m in mock_providers.outbox("13800138000")] == ["333333", "111111"]


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"secret_key": "wrongSecretKey"}, "AuthFailure.SignatureFailure"),
    ({"secret_id": "AKIDunknown"}, "AuthFailure.SecretIdNotFound"),
])
def test_wrong_credentials_get_real_auth_errors(make_faceid, mock_providers, kwargs, code):
    with pytest.raises(TencentCloudSDKException) as err:
        phone_verification(make_faceid(**kwargs), "张三", ZHANG["id_number"], ZHANG["mobile"])
    assert err.value.code == code
    assert mock_providers.journal(provider="carrier")[0].status == 200


def _signed_post(base_url: str, action: str, body: dict, timestamp: int, service: str = "faceid",
                 version: str = "2018-03-01") -> dict:
    raw = json.dumps(body).encode()
    host = base_url.removeprefix("http://")
    canonical = "\n".join(["POST", "/", "", f"content-type:application/json\nhost:{host}\n",
                           "content-type;host", hashlib.sha256(raw).hexdigest()])
    date = time.strftime("%Y-%m-%d", time.gmtime(timestamp))
    to_sign = "\n".join(["TC3-HMAC-SHA256", str(timestamp), f"{date}/{service}/tc3_request",
                         hashlib.sha256(canonical.encode()).hexdigest()])
    sig = tc3.signature(DEFAULTS.tencent_secret_key, date, service, to_sign)
    headers = {"Content-Type": "application/json", "Host": host, "X-TC-Action": action,
               "X-TC-Version": version, "X-TC-Timestamp": str(timestamp),
               "Authorization": f"TC3-HMAC-SHA256 Credential={DEFAULTS.tencent_secret_id}/{date}/"
                                f"{service}/tc3_request, SignedHeaders=content-type;host, "
                                f"Signature={sig}"}
    return httpx.post(base_url + "/", content=raw, headers=headers).json()["Response"]


def test_stale_timestamp_gets_signature_expire(mock_providers_server, mock_providers):
    resp = _signed_post(mock_providers_server.base_url, "PhoneVerification", {},
                        int(time.time()) - 3600)
    assert resp["Error"]["Code"] == "AuthFailure.SignatureExpire"


@pytest.mark.parametrize(("action", "version", "code"), [
    ("NoSuchThing", "2018-03-01", "InvalidAction"),
    ("PhoneVerification", "2017-01-01", "NoSuchVersion"),
    ("PhoneVerification", "2018-03-01", "MissingParameter"),
])
def test_protocol_errors_use_tencent_codes(mock_providers_server, mock_providers, action, version,
                                           code):
    resp = _signed_post(mock_providers_server.base_url, action, {"Name": "张三"}, int(time.time()),
                        version=version)
    assert resp["Error"]["Code"] == code and resp["RequestId"]


def test_sms_unknown_template_fails_the_number_not_the_request(sms, mock_providers):
    status = send_sms(sms, "13800138000", template="9999999").SendStatusSet[0]
    assert (status.Code, status.SerialNo, status.Fee, status.IsoCode) == (
        "FailedOperation.TemplateIncorrectOrUnapproved", "", 0, "CN")
    assert mock_providers.outbox() == []


def test_unsigned_request_is_refused_and_journaled_as_unmatched(mock_providers_server,
                                                                mock_providers):
    resp = httpx.post(mock_providers_server.base_url + "/", json={}).json()["Response"]
    assert resp["Error"]["Code"] == "AuthFailure.InvalidAuthorization"
    httpx.get(mock_providers_server.base_url + "/nowhere")
    unmatched = [e for e in mock_providers.journal() if e.provider is None]
    assert [(e.method, e.path, e.status) for e in unmatched] == [("POST", "/", 200),
                                                                 ("GET", "/nowhere", 404)]
