"""The user's side of the integration tests: a clock and an API caller with helpers."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from service_world import NOW

from emulator.mock_providers.client import ProviderControl


class Clock:
    def __init__(self, start: datetime = NOW) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


class Api:
    """The TestClient with a bearer token and helpers that read like the user's steps."""

    def __init__(self, client: TestClient, control: ProviderControl) -> None:
        self.client = client
        self.control = control
        self.headers: dict[str, str] = {}

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
        self.headers = {"Authorization": f"Bearer {token}"}
        guide = self.ok("GET", "/unlock/guide")
        self.ok("POST", "/agreements/accept", json={"agreements": [
            {"id": a["id"], "version": a["version"]} for a in guide["agreements"]]})

    def order(self, order_no: str) -> dict[str, Any]:
        return dict(self.ok("GET", f"/orders/{order_no}"))
