"""Latency of the mock providers per action, against a bare FastAPI endpoint in the same run.

    .venv/bin/python benchmarks/bench_providers.py [--n 300]

Both servers run under uvicorn in background threads with the same settings; requests go over
loopback HTTP through one keep-alive ``httpx.Client``. Signing happens before the timer starts,
so the figures are the server's cost (TC3/HMAC verification included) plus loopback HTTP.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import threading
import time
from collections.abc import Callable

import httpx
import uvicorn
from fastapi import FastAPI, Request

from emulator.mock_providers import tc3
from emulator.mock_providers.deposit.auth import signed_headers
from emulator.mock_providers.server import ProviderServer, free_port
from szca_unlock.config import ProviderEndpoints

CFG = ProviderEndpoints()
ID = "110101199001019001"  # magic: face auto-passes


def bare_server() -> tuple[uvicorn.Server, str]:
    app = FastAPI()

    @app.post("/echo")
    async def echo(request: Request) -> dict:
        return {"Response": {"ok": True, "Length": len(await request.body())}}

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False, lifespan="off"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.01)
    return server, f"http://127.0.0.1:{port}"


def tencent_request(host: str, service: str, version: str, action: str,
                    params: dict) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(params).encode()
    ts = int(time.time())
    date = time.strftime("%Y-%m-%d", time.gmtime(ts))
    canonical = "\n".join(["POST", "/", "", f"content-type:application/json\nhost:{host}\n",
                           "content-type;host", hashlib.sha256(raw).hexdigest()])
    to_sign = "\n".join(["TC3-HMAC-SHA256", str(ts), f"{date}/{service}/tc3_request",
                         hashlib.sha256(canonical.encode()).hexdigest()])
    sig = tc3.signature(CFG.tencent_secret_key, date, service, to_sign)
    return raw, {"Content-Type": "application/json", "Host": host, "X-TC-Action": action,
                 "X-TC-Version": version, "X-TC-Timestamp": str(ts),
                 "Authorization": f"TC3-HMAC-SHA256 Credential={CFG.tencent_secret_id}/{date}/"
                                  f"{service}/tc3_request, SignedHeaders=content-type;host, "
                                  f"Signature={sig}"}


def measure(n: int, prepare: Callable[[], Callable[[], httpx.Response]]) -> list[float]:
    samples = []
    for _ in range(n):
        call = prepare()
        started = time.perf_counter()
        response = call()
        samples.append(time.perf_counter() - started)
        response.raise_for_status()
    return samples


def summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(0.99 * (len(ordered) - 1))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    n = parser.parse_args().n
    bare, bare_url = bare_server()
    with ProviderServer() as mock, httpx.Client(timeout=10) as http:
        mock.state.seed({"corporate_accounts": [{"company_name": "甲公司", "bank_name": "工行",
                                                 "branch_name": "福田",
                                                 "account_number": "1001"}]})
        token = None

        def tencent(service: str, version: str, action: str, params: dict):
            def prepare() -> Callable[[], httpx.Response]:
                raw, headers = tencent_request(mock.endpoint, service, version, action, params)
                return lambda: http.post(mock.base_url + "/", content=raw, headers=headers)
            return prepare

        def deposit_create() -> Callable[[], httpx.Response]:
            raw = json.dumps({"company_name": "甲公司", "bank_name": "工行", "branch_name": "福田",
                              "account_number": "1001"}).encode()
            headers = signed_headers(CFG.deposit_key_id, CFG.deposit_secret, "POST",
                                     "/deposit/v1/verifications", raw)
            headers["Content-Type"] = "application/json"
            return lambda: http.post(mock.base_url + "/deposit/v1/verifications", content=raw,
                                     headers=headers)

        def bare_call() -> Callable[[], httpx.Response]:
            return lambda: http.post(bare_url + "/echo", json={"Name": "王五"})

        raw, headers = tencent_request(mock.endpoint, "faceid", "2018-03-01", "DetectAuth",
                                       {"RuleId": "1", "IdCard": ID, "Name": "王五"})
        token = http.post(mock.base_url + "/", content=raw, headers=headers).json()[
            "Response"]["BizToken"]
        cases = {
            "bare FastAPI POST": bare_call,
            "sms SendSms": tencent("sms", "2021-01-11", "SendSms", {
                "PhoneNumberSet": ["13800138000"], "SmsSdkAppId": CFG.sms_sdk_app_id,
                "TemplateId": "1000002", "SignName": CFG.sms_sign_name,
                "TemplateParamSet": ["123456", "5"]}),
            "carrier PhoneVerification": tencent("faceid", "2018-03-01", "PhoneVerification", {
                "Name": "王五", "IdCard": ID, "Phone": "19900990000"}),
            "bank BankCard4EVerification": tencent("faceid", "2018-03-01",
                                                   "BankCard4EVerification", {
                "Name": "王五", "IdCard": ID, "BankCard": "6222990000000001",
                "Phone": "13800138000"}),
            "face DetectAuth": tencent("faceid", "2018-03-01", "DetectAuth",
                                       {"RuleId": "1", "IdCard": ID, "Name": "王五"}),
            "face GetDetectInfoEnhanced": tencent("faceid", "2018-03-01", "GetDetectInfoEnhanced",
                                                  {"BizToken": token, "RuleId": "1"}),
            "deposit create_verification": deposit_create,
        }
        for prepare in cases.values():  # warm-up
            measure(20, prepare)
        results = {name: summary(measure(n, prepare)) for name, prepare in cases.items()}
    bare.should_exit = True
    base = results["bare FastAPI POST"][0]
    print(f"{'action':32} {'median ms':>10} {'p99 ms':>8} {'x bare':>7}   (n={n})")
    for name, (median, p99) in results.items():
        print(f"{name:32} {median:10.3f} {p99:8.3f} {median / base:7.2f}")


if __name__ == "__main__":
    main()
