"""Fuzzing behind the signature: correctly signed Tencent calls (TC3 POST and GET, v1 GET and
POST form) with generated parameters reach every action's handler, and the mock answers each
with HTTP 200 and Tencent's envelope (a result or an ``Error`` with a code), never a 5xx.

The schema fuzz (test_mock_providers_fuzz.py) cannot sign, so it only reaches the signature
check; this one reaches the parameter checks, the backends and the picture generation.
``SZCA_FUZZ_EXAMPLES`` scales it like the other fuzz tests (default 15 → 60 calls per action).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.mock_providers import ProviderState, create_app, sign_v1, tc3
from emulator.mock_providers.catalogue import (
    BANK_BASE,
    CARRIER_BASE,
    FACE_BASE,
    FACE_QUERY,
    SMS_BASE,
)
from szca_unlock.config import ProviderEndpoints

EXAMPLES = int(os.environ.get("SZCA_FUZZ_EXAMPLES", "15")) * 4
KEYS = ProviderEndpoints()
HOST = "127.0.0.1:8401"
ACTIONS = {
    "SendSms": ("sms", "2021-01-11", SMS_BASE),
    "PhoneVerification": ("faceid", "2018-03-01", CARRIER_BASE),
    "BankCard4EVerification": ("faceid", "2018-03-01", BANK_BASE),
    "DetectAuth": ("faceid", "2018-03-01", {**FACE_BASE, "IdCard": "110101190001010006"}),
    "GetDetectInfoEnhanced": ("faceid", "2018-03-01",
                              {**FACE_QUERY, "BizToken": "", "BestFramesCount": 3,
                               "IsCutIdCardImage": True, "IsNeedIdCardAvatar": True}),
}

scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**40, 2**40),
                    st.floats(allow_nan=False), st.text(max_size=40),
                    st.sampled_from(["", "0", "1", "13", "19900990000", "+8619900980000",
                                     "110101190001010006", "11010119900101901x", "深圳CA",
                                     "1000002", "ap-guangzhou", "9" * 30]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=8)


@st.composite
def params_for(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    """The action's valid parameters with some replaced, dropped or added at random."""
    params = dict(base)
    for key in draw(st.lists(st.sampled_from(sorted(base)), max_size=3, unique=True)):
        if draw(st.booleans()):
            params[key] = draw(values)
        else:
            params.pop(key)
    params.update(draw(st.dictionaries(st.text(min_size=1, max_size=12), values, max_size=2)))
    return params


def _tc3_headers(service: str, action: str, version: str, method: str, query: str,
                 body: bytes) -> dict[str, str]:
    now = int(time.time())
    date = datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%d")
    ctype = "application/json" if method == "POST" else "application/x-www-form-urlencoded"
    canonical = "\n".join([method, "/", query if method == "GET" else "",
                           f"content-type:{ctype}\nhost:{HOST}\n", "content-type;host",
                           hashlib.sha256(body if method == "POST" else b"").hexdigest()])
    scope = f"{date}/{service}/tc3_request"
    to_sign = "\n".join(["TC3-HMAC-SHA256", str(now), scope,
                         hashlib.sha256(canonical.encode()).hexdigest()])
    sig = tc3.signature(KEYS.tencent_secret_key, date, service, to_sign)
    return {"Content-Type": ctype, "Host": HOST, "X-TC-Action": action, "X-TC-Version": version,
            "X-TC-Timestamp": str(now), "X-TC-Region": "ap-guangzhou",
            "Authorization": f"TC3-HMAC-SHA256 Credential={KEYS.tencent_secret_id}/{scope}, "
                             f"SignedHeaders=content-type;host, Signature={sig}"}


def _flat(value: Any, prefix: str = "") -> dict[str, str]:
    """What the SDKs put on a query string: nested values flattened with dots."""
    if isinstance(value, dict):
        out: dict[str, str] = {}
        for key, inner in value.items():
            out.update(_flat(inner, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list):
        out = {}
        for i, inner in enumerate(value):
            out.update(_flat(inner, f"{prefix}.{i}"))
        return out
    return {} if value is None else {prefix: str(value)}


def _v1(action: str, version: str, params: dict[str, Any], method: str) -> dict[str, str]:
    pairs = {**_flat(params), "Action": action, "Version": version, "Region": "ap-guangzhou",
             "Timestamp": str(int(time.time())), "Nonce": "4711",
             "SecretId": KEYS.tencent_secret_id, "SignatureMethod": "HmacSHA256"}
    pairs["Signature"] = sign_v1.sign(
        KEYS.tencent_secret_key,
        sign_v1.string_to_sign(method, HOST, "/", list(pairs.items())), "HmacSHA256")
    return pairs


@pytest.fixture(scope="module")
def mock() -> TestClient:
    with TestClient(create_app(ProviderState()), base_url=f"http://{HOST}") as client:
        yield client


def _send(client: TestClient, style: str, action: str, params: dict[str, Any]) -> Any:
    service, version, _ = ACTIONS[action]
    if style == "tc3-post":
        body = json.dumps(params).encode()
        return client.post("/", content=body, headers=_tc3_headers(service, action, version,
                                                                   "POST", "", body))
    if style == "tc3-get":
        query = urlencode(_flat(params))
        return client.get(f"/?{query}", headers=_tc3_headers(service, action, version, "GET",
                                                             query, b""))
    pairs = _v1(action, version, params, "GET" if style == "v1-get" else "POST")
    if style == "v1-get":
        return client.get(f"/?{urlencode(pairs)}")
    return client.post("/", content=urlencode(pairs),
                       headers={"Content-Type": "application/x-www-form-urlencoded"})


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_signed_calls_with_any_parameters_get_an_envelope_never_a_5xx(mock, action):
    base = ACTIONS[action][2]
    if action == "GetDetectInfoEnhanced":  # a live token, so the handler runs to the end
        started = _send(mock, "tc3-post", "DetectAuth", ACTIONS["DetectAuth"][2]).json()
        base = {**base, "BizToken": started["Response"]["BizToken"]}
    seen: set[str] = set()

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(style=st.sampled_from(["tc3-post", "tc3-get", "v1-get", "v1-post"]),
           params=params_for(base))
    def run(style: str, params: dict[str, Any]) -> None:
        answer = _send(mock, style, action, params)
        assert answer.status_code == 200, (style, params, answer.text[:300])
        response = answer.json()["Response"]
        assert response["RequestId"]
        seen.add(response["Error"]["Code"] if "Error" in response else "ok")
        assert "AuthFailure" not in response.get("Error", {}).get("Code", ""), (style, params)

    run()
    assert "ok" in seen, f"no generated call got through to a result: {sorted(seen)}"
