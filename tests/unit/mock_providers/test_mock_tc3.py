"""TC3 verification accepts exactly what the official SDK signs, and nothing else."""

from __future__ import annotations

import json
import time

import pytest
from tencentcloud.common import credential
from tencentcloud.common.abstract_client import AbstractClient
from tencentcloud.common.http.request import RequestInternal
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

from emulator.mock_providers import tc3
from emulator.mock_providers.tencent_errors import (
    InvalidAuthorization,
    SecretIdNotFound,
    SignatureExpire,
    SignatureFailure,
)

SID, SKEY = "AKIDtest", "secret-key"


def _sdk_signed(params: dict, secret_key: str = SKEY) -> RequestInternal:
    client = AbstractClient(credential.Credential(SID, secret_key), "",
                            ClientProfile(httpProfile=HttpProfile(endpoint="127.0.0.1:9")))
    client._service, client._apiVersion = "faceid", "2018-03-01"
    req = RequestInternal("127.0.0.1:9", "POST", "/")
    client._build_req_with_tc3_signature("PhoneVerification", params, req)
    return req


def _verify(req: RequestInternal, **overrides) -> tc3.SignedRequest:
    headers = {k.lower(): v for k, v in req.header.items()}
    args = {"method": "POST", "path": "/", "query": "", "headers": headers,
            "body": req.data.encode(), "credentials": {SID: SKEY}, "now": time.time()}
    return tc3.verify(**{**args, **overrides})


def test_accepts_sdk_signature_and_reads_service():
    signed = _verify(_sdk_signed({"Name": "王五"}))
    assert (signed.secret_id, signed.service) == (SID, "faceid")


def test_rejects_altered_body_and_wrong_key():
    req = _sdk_signed({"Name": "王五"})
    with pytest.raises(SignatureFailure):
        _verify(req, body=json.dumps({"Name": "赵六"}).encode())
    with pytest.raises(SignatureFailure):
        _verify(_sdk_signed({"Name": "王五"}, secret_key="other"))


def test_unknown_secret_id_stale_timestamp_and_garbage_header():
    req = _sdk_signed({})
    with pytest.raises(SecretIdNotFound):
        _verify(req, credentials={"AKIDother": SKEY})
    with pytest.raises(SignatureExpire):
        _verify(req, now=time.time() + 301)
    headers = {k.lower(): v for k, v in req.header.items()} | {"authorization": "Basic abc"}
    with pytest.raises(InvalidAuthorization):
        _verify(req, headers=headers)
