"""Run one call through an official Tencent Cloud SDK, Python or Node.js, and normalise what
the SDK hands its caller: ``{"ok": True, "response": {...}}`` or
``{"ok": False, "error": {"code", "message", "requestId", "httpCode"}}``.

A case is a dict: ``service`` (faceid | sms), ``action``, ``params`` and optionally
``endpoint`` (default: the live mock), ``resolve_to`` (connect every host name to this address,
for ``faceid.<name>`` style endpoints), ``signMethod`` (TC3-HMAC-SHA256 | HmacSHA1 | HmacSHA256),
``reqMethod`` (POST | GET), ``region``, ``secretId``, ``secretKey``, ``then`` (a second call on
the same client, ``{"action", "params", "carry": [fields of the first answer to pass on]}``).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.faceid.v20180301 import faceid_client
from tencentcloud.faceid.v20180301 import models as faceid_models
from tencentcloud.sms.v20210111 import models as sms_models
from tencentcloud.sms.v20210111 import sms_client

from szca_unlock.config import ProviderEndpoints

ROOT = Path(__file__).resolve().parents[3]
NODE_SCRIPT = Path(__file__).with_name("node_sdk_call.js")
NODE_SDK = ROOT / "node_modules" / "tencentcloud-sdk-nodejs"
DEFAULTS = ProviderEndpoints()
SDKS = ("python", "node")

_PY = {"faceid": (faceid_client.FaceidClient, faceid_models),
       "sms": (sms_client.SmsClient, sms_models)}


def node_available() -> str | None:
    """Why the Node SDK cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed (scripts/install-system-deps.sh installs Debian's nodejs)"
    if not NODE_SDK.is_dir():
        return "tencentcloud-sdk-nodejs is not installed (make setup runs scripts/setup-node.sh)"
    return None


def complete(case: dict[str, Any], endpoint: str) -> dict[str, Any]:
    return {"endpoint": endpoint, "secretId": DEFAULTS.tencent_secret_id,
            "secretKey": DEFAULTS.tencent_secret_key,
            "region": "ap-guangzhou" if case["service"] == "sms" else "",
            "signMethod": "TC3-HMAC-SHA256", "reqMethod": "POST", **case}


@contextlib.contextmanager
def _resolving(address: str | None) -> Iterator[None]:
    """Connect every host name to ``address`` (what /etc/hosts would do) for this call."""
    if address is None:
        yield
        return
    real = socket.getaddrinfo

    def fake(host: Any, *args: Any, **kwargs: Any) -> Any:
        return real(address, *args, **kwargs)

    socket.getaddrinfo = fake
    try:
        yield
    finally:
        socket.getaddrinfo = real


def run_python(case: dict[str, Any]) -> dict[str, Any]:
    client_cls, models = _PY[case["service"]]
    http = HttpProfile(protocol="http", endpoint=case["endpoint"], reqMethod=case["reqMethod"],
                       reqTimeout=10)
    profile = ClientProfile(httpProfile=http, signMethod=case["signMethod"])
    client = client_cls(credential.Credential(case["secretId"], case["secretKey"]),
                        case["region"], profile)
    with _resolving(case.get("resolve_to")):
        first = _call(client, models, case["action"], case["params"])
        then = case.get("then")
        if not then or not first["ok"]:
            return first
        params = {**then["params"], **{k: first["response"][k] for k in then.get("carry", [])}}
        return {**_call(client, models, then["action"], params), "first": first}


def _call(client: Any, models: Any, action: str, params: dict[str, Any]) -> dict[str, Any]:
    request = getattr(models, f"{action}Request")()
    request.from_json_string(json.dumps(params))
    try:
        response = getattr(client, action)(request)
    except TencentCloudSDKException as exc:
        return {"ok": False, "error": {"code": exc.get_code() or "",
                                       "message": exc.get_message(),
                                       "requestId": exc.get_request_id() or "",
                                       "httpCode": None}}
    return {"ok": True, "response": json.loads(response.to_json_string())}


def run_node(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # The SDK routes through $http_proxy when set; the mock is on loopback.
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy")}
    done = subprocess.run(["node", str(NODE_SCRIPT)], input=json.dumps(cases), cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"node SDK runner failed: {done.stderr.strip()}")
    return list(json.loads(done.stdout))


def run(sdk: str, cases: list[dict[str, Any]], endpoint: str) -> list[dict[str, Any]]:
    full = [complete(c, endpoint) for c in cases]
    if sdk == "node":
        return run_node(full)
    return [run_python(c) for c in full]
