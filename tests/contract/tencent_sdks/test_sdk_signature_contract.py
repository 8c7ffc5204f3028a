"""Every way an official SDK can sign and send a call is accepted, with the Python and the
Node.js SDK alike: TC3-HMAC-SHA256 over POST and GET, signature v1 (HmacSHA1, HmacSHA256) over
POST and GET, against ``127.0.0.1:PORT``, ``localhost:PORT`` and ``faceid.<name>:PORT`` hosts."""

from __future__ import annotations

import pytest

MATCH = {"Name": "张三", "IdCard": "110101199003070011", "Phone": "19900990000"}
SMS = {"PhoneNumberSet": ["+8619900980000"], "SmsSdkAppId": "1400000001",
       "TemplateId": "1000002", "SignName": "深圳CA", "TemplateParamSet": ["123456", "5"]}

SIGNINGS = [(sign, method) for sign in ("TC3-HMAC-SHA256", "HmacSHA1", "HmacSHA256")
            for method in ("POST", "GET")]


@pytest.mark.parametrize(("sign", "method"), SIGNINGS)
def test_every_signature_method_and_http_method_is_accepted(call_many, sign, method):
    faceid, sms = call_many([
        {"service": "faceid", "action": "PhoneVerification", "params": MATCH,
         "signMethod": sign, "reqMethod": method},
        {"service": "sms", "action": "SendSms", "params": SMS, "signMethod": sign,
         "reqMethod": method},
    ])
    assert faceid["ok"], faceid
    assert (faceid["response"]["Result"], faceid["response"]["Isp"]) == ("0", "电信")
    assert sms["ok"], sms
    assert sms["response"]["SendStatusSet"][0]["Code"] == "Ok"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "faceid.szca.test"])
def test_the_endpoint_may_be_an_address_a_local_name_or_a_service_domain(
        call, mock_providers_server, host):
    case = {"endpoint": f"{host}:{mock_providers_server.port}"}
    if "." in host and not host[0].isdigit():
        case["resolve_to"] = "127.0.0.1"
    answer = call("faceid", "PhoneVerification", MATCH, **case)
    assert answer["ok"], answer
    assert answer["response"]["Result"] == "0"


def test_sms_on_its_own_service_domain(call, mock_providers_server):
    answer = call("sms", "SendSms", SMS, resolve_to="127.0.0.1",
                  endpoint=f"sms.szca.test:{mock_providers_server.port}")
    assert answer["ok"], answer
    assert answer["response"]["SendStatusSet"][0]["Code"] == "Ok"


def test_a_service_domain_serves_only_its_own_actions(call, mock_providers_server):
    answer = call("faceid", "PhoneVerification", MATCH, resolve_to="127.0.0.1",
                  endpoint=f"sms.szca.test:{mock_providers_server.port}")
    assert not answer["ok"]
    assert answer["error"]["code"] in ("AuthFailure.SignatureFailure", "InvalidAction")


@pytest.mark.parametrize(("sign", "method"), SIGNINGS)
def test_a_wrong_secret_key_is_a_signature_failure(call, sign, method):
    answer = call("faceid", "PhoneVerification", MATCH, secretKey="not-the-key",
                  signMethod=sign, reqMethod=method)
    assert not answer["ok"]
    assert answer["error"]["code"] == "AuthFailure.SignatureFailure"
    assert answer["error"]["requestId"]


@pytest.mark.parametrize("sign", ["TC3-HMAC-SHA256", "HmacSHA256"])
def test_an_unknown_secret_id_is_refused(call, sign):
    answer = call("faceid", "PhoneVerification", MATCH, secretId="AKIDunknown", signMethod=sign)
    assert (answer["ok"], answer["error"]["code"]) == (False, "AuthFailure.SecretIdNotFound")


@pytest.mark.parametrize("region", ["", "ap-shanghai"])
def test_sms_needs_one_of_its_regions(call, region):
    answer = call("sms", "SendSms", SMS, region=region)
    assert not answer["ok"]
    assert answer["error"]["code"] == ("MissingParameter" if not region else "UnsupportedRegion")
