"""Many applicants at once while every provider answers slowly: logins, orders and
identity checks all complete, and nobody gets a 5xx (no request holds the database's
write lock while a provider call is under way)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from emulator.mock_providers.client import ProviderControl
from emulator.personas import Scenario
from emulator.testing.api import Api, Flows, biz_token

PROVIDER_LATENCY_MS = 1000  # each SMS, carrier and face call; 5 s is the lock wait limit
STORM_MOBILES = ("13912340001", "13912340002", "13912340003", "13912340004")


class RecordingApi(Api):
    """An ``Api`` that keeps every status it saw (shared by all threads of the test)."""

    def __init__(self, base_url: str, control: ProviderControl,
                 seen: list[tuple[int, str]]) -> None:
        super().__init__(base_url, control)
        self.seen = seen

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = super().call(method, path, **kwargs)
        self.seen.append((answer.status_code, f"{method} {path}"))
        return answer


def _personal(cert: str, method: str, scenario: Scenario) -> Callable[[RecordingApi], str]:
    def flow(api: RecordingApi) -> str:
        holder = scenario.certificate(cert).holder
        assert holder is not None
        api.login(holder.mobile)
        flows = Flows(api)
        order_no = flows.open(scenario.certificate(cert).serial_hex)
        order = flows.verify(order_no, "identity", method, holder)
        assert [o["order_no"] for o in api.ok("GET", "/orders")["orders"]] == [order_no]
        return str(order["state"])
    return flow


def _operator(scenario: Scenario) -> Callable[[RecordingApi], str]:
    def flow(api: RecordingApi) -> str:
        company = scenario.companies["pengcheng"]
        api.login(company.operator.mobile)
        flows = Flows(api)
        order_no = flows.open_org(scenario.certificate("org").serial_hex, company.legal_rep)
        return str(flows.verify(order_no, "operator", "carrier", company.operator)["state"])
    return flow


def _storm(mobile: str) -> Callable[[RecordingApi], str]:
    def flow(api: RecordingApi) -> str:
        api.login(mobile)
        assert api.ok("GET", "/auth/me")["agreements_accepted"] is True
        assert api.ok("GET", "/orders")["orders"] == []
        api.ok("POST", "/auth/logout")
        return "logged out"
    return flow


def test_concurrent_flows_with_slow_providers_never_5xx(service: str, scenario: Scenario,
                                                        mock_providers: ProviderControl) -> None:
    for provider in ("sms", "carrier", "face"):
        mock_providers.fault(provider, "latency", rate=1.0, latency_ms=PROVIDER_LATENCY_MS)
    flows = {"natural carrier": _personal("natural", "carrier", scenario),
             "medical face": _personal("medical", "face", scenario),
             "org_personal carrier": _personal("org_personal", "carrier", scenario),
             "operator carrier": _operator(scenario),
             **{f"storm {m[-4:]}": _storm(m) for m in STORM_MOBILES}}
    seen: list[tuple[int, str]] = []
    start = threading.Barrier(len(flows))
    apis = [RecordingApi(service, mock_providers, seen) for _ in flows]

    def run(flow: Callable[[RecordingApi], str], api: RecordingApi) -> str:
        start.wait(timeout=10)  # all at once
        return flow(api)

    try:
        with ThreadPoolExecutor(len(flows)) as pool:
            futures = {name: pool.submit(run, flow, api)
                       for (name, flow), api in zip(flows.items(), apis, strict=True)}
            ended = {name: future.result(timeout=60) for name, future in futures.items()}
    finally:
        for api in apis:
            api.close()
    assert [s for s in seen if s[0] >= 500] == []
    assert ended == {"natural carrier": "verified", "medical face": "verified",
                     "org_personal carrier": "verified", "operator carrier": "operator_verified",
                     **{f"storm {m[-4:]}": "logged out" for m in STORM_MOBILES}}
    assert len(seen) > 50  # every flow really ran its requests


def test_concurrent_polls_of_a_passed_face_check_apply_it_once(
        api: Api, scenario: Scenario, mock_providers: ProviderControl) -> None:
    holder = scenario.certificate("natural").holder
    assert holder is not None
    api.login(holder.mobile)
    order_no = Flows(api).open(scenario.certificate("natural").serial_hex)
    path = f"/orders/{order_no}/verifications/identity"
    started = api.ok("POST", path, json={"method": "face", "name": holder.name,
                                         "id_number": holder.id_number})["verification"]
    mock_providers.face_complete(biz_token(started["face"]["url"]), "pass")
    # Slow answers: every poll reads "pending" and asks the provider before any records.
    mock_providers.fault("face", "latency", action="GetDetectInfoEnhanced", rate=1.0,
                         latency_ms=500)
    polls = 4
    together = threading.Barrier(polls)

    def poll() -> tuple[int, str]:
        together.wait(timeout=10)
        answer = api.call("GET", path)
        return answer.status_code, answer.json()["verification"]["status"]

    with ThreadPoolExecutor(polls) as pool:
        answers = list(pool.map(lambda _: poll(), range(polls)))
    assert answers == [(200, "passed")] * polls
    order = api.order(order_no)
    assert order["state"] == "verified"
    assert [h["event"] for h in order["history"]].count("verify_identity") == 1
