"""The user's side of the service in tests: one login's raw HTTP session (when a test must
see the status, headers or bytes of an answer) and the real-time flows as a user clicks
through them. For typed calls use ``szca_unlock.client.ServiceClient``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from emulator.mock_providers.client import ProviderControl, biz_token
from emulator.personas import Company, Person
from emulator.personas.forms import form_for
from szca_unlock.api.common import ErrorResponse
from szca_unlock.client.unlock import HttpUnlockServiceClient
from szca_unlock.keepalive import client_limits
from szca_unlock.ukey import UnlockAgent
from szca_unlock.ukey.receipts import ReceiptStore
from szca_unlock.ukey.types import UnlockResult

from .keys import NEW_PIN, VirtualKey

__all__ = ["Api", "Flows", "biz_token", "run_agent", "unlock_with_agent"]


class Api:
    """An HTTP session of the live service: a bearer token, helpers named like the steps."""

    def __init__(self, base_url: str, control: ProviderControl, timeout_s: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.client = httpx.Client(base_url=self.base_url, timeout=timeout_s,
                                   limits=client_limits())
        self.control = control
        self.token = ""

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def close(self) -> None:
        self.client.close()

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.client.request(method, f"/api{path}", headers=self.headers, **kwargs)

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = self.call(method, path, **kwargs)
        assert answer.status_code < 300, f"{method} {path} answered {answer.status_code}: " \
                                         f"{answer.text}"
        return answer.json() if answer.content else None

    def error(self, method: str, path: str, status: int, **kwargs: Any) -> dict[str, Any]:
        """The refusal's envelope fields, after checking the status and that the body is
        exactly the documented ``ErrorResponse``."""
        answer = self.call(method, path, **kwargs)
        assert answer.status_code == status, answer.text
        return ErrorResponse.model_validate(answer.json()).error.model_dump(exclude_none=True)

    def sms_code(self, mobile: str, purpose: str | None = None) -> str:
        """The newest code texted to ``mobile`` (of ``purpose``: login | verification)."""
        return self.control.sms_code(mobile, purpose=purpose)

    def login(self, mobile: str) -> None:
        """C-1 and C-2: log in with the texted code and accept every agreement."""
        since = self.control.now()
        self.ok("POST", "/auth/sms-code", json={"mobile": mobile})
        code = self.control.sms_code(mobile, after=since, purpose="login")
        self.token = self.ok("POST", "/auth/login",
                             json={"mobile": mobile, "code": code})["token"]
        guide = self.ok("GET", "/unlock/guide")
        self.ok("POST", "/agreements/accept", json={"agreements": [
            {"id": a["id"], "version": a["version"]} for a in guide["agreements"]]})

    def order(self, order_no: str) -> dict[str, Any]:
        return dict(self.ok("GET", f"/orders/{order_no}"))


class Flows:
    """The real-time flows as a user clicks through them, for one logged-in ``Api``."""

    def __init__(self, api: Api) -> None:
        self.api = api

    def open(self, serial: str) -> str:
        order = self.api.ok("POST", "/orders", json={"certificate_serial": serial,
                                                     "mode": "realtime"})
        return str(order["order_no"])

    def open_org(self, serial: str, legal_rep: Any) -> str:
        """Open an organisation order and name its legal representative (ORG-RT-5)."""
        order_no = self.open(serial)
        self.api.ok("POST", f"/orders/{order_no}/organisation", json={
            "legal_rep_name": legal_rep.name, "legal_rep_id_number": legal_rep.id_number})
        return order_no

    def verify(self, order_no: str, step: str, method: str, person: Person,
               company: Company | None = None, **extra: str) -> dict[str, Any]:
        """Run one verification step to its pass, the way the method asks for it (a deposit
        needs ``company``, whose corporate account is paid)."""
        path = f"/orders/{order_no}/verifications/{step}"
        body = form_for(method, person, company) | extra
        control = self.api.control
        since = control.now()
        started = self.api.ok("POST", path, json=body)["verification"]
        assert started["status"] == "pending", started
        if started["face"] is not None:
            control.complete_face(started["face"]["url"], "pass")
            outcome = self.api.ok("GET", path)
        elif started["deposit"] is not None:
            code = control.deposit_code(body["account_number"], order_no)
            outcome = self.api.ok("POST", f"{path}/code", json={"code": code})
        else:
            code = control.sms_code(body["mobile"], after=since, purpose="verification")
            outcome = self.api.ok("POST", f"{path}/code", json={"code": code})
        assert outcome["verification"]["status"] == "passed", outcome
        return dict(outcome["order"])


def unlock_with_agent(api: Api, order_no: str, key: VirtualKey, pin: str = NEW_PIN) -> str:
    """立即解锁: the agent (the CA driver tool) asks the service and resets the card."""
    return run_agent(api.base_url, api.token, key, order_no, pin).order_state


def run_agent(service_url: str, token: str, key: VirtualKey, order_no: str, pin: str,
              receipts: Path | None = None) -> UnlockResult:
    """One agent run against ``service_url`` (the service, or a proxy in front of it),
    recording its unlock in flight in ``receipts`` when given (as the real agent does)."""
    client = HttpUnlockServiceClient(service_url, token, timeout_s=60)
    try:
        return UnlockAgent(client, key.driver,
                           None if receipts is None else ReceiptStore(receipts)).unlock(
            order_no, new_pin=pin, confirm_pin=pin, expected_key_serial=key.serial)
    finally:
        client.close()
