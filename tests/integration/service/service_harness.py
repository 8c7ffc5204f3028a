"""The user's side of the integration tests: a clock and an API caller with helpers."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from emulator.mock_providers.client import ProviderControl

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


class Clock:
    def __init__(self, start: datetime = NOW) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


class Api:
    """An HTTP client of the live service: a bearer token, helpers named like the steps."""

    def __init__(self, base_url: str, control: ProviderControl) -> None:
        self.base_url = base_url
        self.client = httpx.Client(base_url=base_url, timeout=30)
        self.control = control
        self.headers: dict[str, str] = {}
        self.token = ""

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.client.request(method, f"/api{path}", headers=self.headers, **kwargs)

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = self.call(method, path, **kwargs)
        assert answer.status_code < 300, answer.text
        return answer.json() if answer.content else None

    def error(self, method: str, path: str, status: int, **kwargs: Any) -> dict[str, Any]:
        answer = self.call(method, path, **kwargs)
        assert answer.status_code == status, answer.text
        return dict(answer.json()["error"])

    def sms_code(self, mobile: str) -> str:
        text = self.control.last_sms(mobile).text
        match = re.search(r"验证码为(\d{6})", text)
        assert match, text
        return match.group(1)

    def login(self, mobile: str) -> None:
        self.ok("POST", "/auth/sms-code", json={"mobile": mobile})
        token = self.ok("POST", "/auth/login",
                        json={"mobile": mobile, "code": self.sms_code(mobile)})["token"]
        self.token = token
        self.headers = {"Authorization": f"Bearer {token}"}
        guide = self.ok("GET", "/unlock/guide")
        self.ok("POST", "/agreements/accept", json={"agreements": [
            {"id": a["id"], "version": a["version"]} for a in guide["agreements"]]})

    def order(self, order_no: str) -> dict[str, Any]:
        return dict(self.ok("GET", f"/orders/{order_no}"))


def biz_token(face_url: str) -> str:
    """The liveness session token in the URL WeChat would open (the QR code)."""
    match = re.search(r"token=([0-9A-Fa-f-]+)", face_url)
    assert match, face_url
    return match.group(1)


class Flows:
    """The real-time flows as a user clicks through them, for one logged-in ``Api``."""

    def __init__(self, api: Api) -> None:
        self.api = api

    def open(self, serial: str) -> str:
        order = self.api.ok("POST", "/orders", json={"certificate_serial": serial,
                                                     "mode": "realtime"})
        return str(order["order_no"])

    def verify(self, order_no: str, step: str, method: str, person: Any,
               **extra: str) -> dict[str, Any]:
        """Run one verification step to its pass, the way the method asks for it."""
        path = f"/orders/{order_no}/verifications/{step}"
        body: dict[str, str] = {"method": method, "name": person.name,
                                "id_number": person.id_number}
        if method.endswith("carrier"):
            body["mobile"] = person.mobile
        if method.endswith("bank"):
            body["mobile"] = person.reserved_mobile
            body["bank_card"] = person.bank_card
        body.update(extra)
        started = self.api.ok("POST", path, json=body)["verification"]
        assert started["status"] == "pending", started
        if method.endswith("face"):
            self.api.control.face_complete(biz_token(started["face"]["url"]), "pass")
            outcome = self.api.ok("GET", path)
        elif method == "deposit":
            entry = self.api.control.deposit_statement(extra["account_number"])[-1]
            code = re.search(r"\d{6}", entry.remark)
            assert code, entry
            outcome = self.api.ok("POST", f"{path}/code", json={"code": code.group(0)})
        else:
            code = self.api.sms_code(body["mobile"])
            outcome = self.api.ok("POST", f"{path}/code", json={"code": code})
        assert outcome["verification"]["status"] == "passed", outcome
        return dict(outcome["order"])
