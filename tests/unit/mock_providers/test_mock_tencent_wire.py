"""The Tencent surface refuses what it cannot serve in Tencent's own envelope, never FastAPI's
bare ``{"detail"}`` (which an SDK surfaces as a network error without a code)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from emulator.mock_providers import ProviderState, create_app
from emulator.mock_providers.tc3 import host_variants
from emulator.mock_providers.tencent_request import read_call, unflatten


@pytest.fixture
def client():
    with TestClient(create_app(ProviderState())) as test_client:
        yield test_client


def _error(response) -> dict:
    body = response.json()["Response"]
    assert body["RequestId"]
    return body["Error"]


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_methods_other_than_get_and_post_are_an_unsupported_protocol(client, method):
    response = client.request(method, "/")
    assert response.status_code == 200
    assert _error(response)["Code"] == "UnsupportedProtocol"


@pytest.mark.parametrize(("method", "status"), [("GET", 404), ("POST", 404), ("PUT", 404)])
def test_unknown_paths_answer_in_the_tencent_envelope(client, method, status):
    response = client.request(method, "/v2/whatever")
    assert response.status_code == status
    assert _error(response)["Code"] == "InvalidAction"


def test_an_unsigned_get_names_the_missing_common_parameter(client):
    response = client.get("/", params={"Action": "PhoneVerification"})
    assert response.status_code == 200
    assert _error(response)["Code"] == "MissingParameter"


def test_a_get_is_journaled_with_its_parameters():
    state = ProviderState()
    with TestClient(create_app(state)) as test_client:
        test_client.get("/", params={"Action": "PhoneVerification", "Phone": "19900990000"})
    entry = list(state.journal)[-1]
    assert (entry.provider, entry.action, entry.mobile) == ("carrier", "PhoneVerification",
                                                            "19900990000")


def test_unflatten_rebuilds_lists_and_objects_the_sdks_flatten():
    assert unflatten({"PhoneNumberSet.1": "b", "PhoneNumberSet.0": "a", "Encryption.Iv": "x",
                      "Encryption.EncryptList.0": "Name", "Plain": "p"}) == {
        "PhoneNumberSet": ["a", "b"], "Encryption": {"Iv": "x", "EncryptList": ["Name"]},
        "Plain": "p"}


def test_v1_common_parameters_are_not_action_parameters():
    call = read_call("POST", {"content-type": "application/x-www-form-urlencoded"}, "",
                     b"Action=SendSms&Version=2021-01-11&Region=ap-guangzhou&Nonce=1&"
                     b"PhoneNumberSet.0=%2B8613800138000&Signature=abc")
    assert (call.protocol, call.action, call.version, call.region) == (
        "v1", "SendSms", "2021-01-11", "ap-guangzhou")
    assert call.params == {"PhoneNumberSet": ["+8613800138000"]}


@pytest.mark.parametrize(("host", "variants"), [
    ("127.0.0.1:8401", ["127.0.0.1:8401", "127.0.0.1"]),
    ("faceid.szca.test", ["faceid.szca.test"]),
    ("[::1]:8401", ["[::1]:8401", "[::1]"]),
    ("[::1]", ["[::1]"]),
])
def test_the_host_is_checked_as_received_and_without_its_port(host, variants):
    assert host_variants(host) == variants


@pytest.mark.parametrize("body", [{"PhoneNumberSet": 5}, {"PhoneNumberSet": [7]},
                                  {"Phone": ["x"], "IdCard": 3}, {"PhoneNumberSet": []}])
def test_odd_json_is_journaled_without_a_500(body):
    """A number where a list of mobiles belongs crashed the journal (500) before the answer."""
    state = ProviderState()
    with TestClient(create_app(state)) as test_client:
        response = test_client.post("/", json=body, headers={"X-TC-Action": "SendSms"})
    assert response.status_code == 200
    assert _error(response)["Code"] == "AuthFailure.InvalidAuthorization"
    assert list(state.journal)[-1].mobile is None


def test_the_journal_keeps_no_pictures():
    """GetDetectInfoEnhanced answers carry hundreds of KB of base64; 10 000 journal entries
    of them would hold gigabytes."""
    from emulator.mock_providers.middleware import _decode

    entry = _decode(b'{"Response": {"BestFrame": {"BestFrame": "' + b"A" * 50_000
                    + b'", "BestFrames": ["B"]}, "RequestId": "r"}}')
    assert entry == {"Response": {"BestFrame": {"BestFrame": "<50000 characters omitted>",
                                                "BestFrames": ["B"]}, "RequestId": "r"}}
