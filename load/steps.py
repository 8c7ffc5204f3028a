"""What an applicant does, step by step (IDs of docs/flows.md), over one HTTP client whose
transport reports to Locust; the phone's part (SMS inbox, WeChat face scan, the finance
staff reading the deposit remark) goes through the mock providers' control API."""

from __future__ import annotations

import re
from typing import Any

import httpx

from emulator.mock_providers.client import ProviderControl
from emulator.personas import Company, Person
from load.transport import LocustTransport, failure_of
from szca_unlock.ukey import UnlockAgent
from szca_unlock.ukey.pcsc import PcscDriver
from szca_unlock.ukey.service_client import HttpUnlockServiceClient
from szca_unlock.ukey.types import UnlockResult

JSON = dict[str, Any]
_CODE = re.compile(r"(\d{6})")
_FACE_TOKEN = re.compile(r"token=([0-9A-Fa-f-]+)")


class FlowBroken(RuntimeError):
    """The service answered something the flow cannot go on from (already reported)."""


class Applicant:
    """One applicant's browser session: its own address, its own connection, its token."""

    def __init__(self, base_url: str, transport: LocustTransport,
                 control: ProviderControl) -> None:
        self.base_url = base_url
        self.transport = transport
        self.control = control
        self.http = httpx.Client(base_url=base_url, transport=transport, timeout=30)
        self.token = ""

    def close(self) -> None:
        self.http.close()

    def call(self, method: str, path: str, json: JSON | None = None) -> Any:
        response = self.http.request(method, f"/api{path}", json=json)
        failure = failure_of(response)
        if failure is not None:
            raise failure
        return response.json() if response.content else None

    def step(self, step: str) -> Any:
        return self.transport.at_step(step)

    def _sms_code(self, mobile: str) -> str:
        match = _CODE.search(self.control.last_sms(mobile).text)
        if not match:
            raise FlowBroken("the SMS holds no 6-digit code")
        return match.group(1)

    # C-1, C-2 -------------------------------------------------------------------------
    def login(self, mobile: str) -> None:
        with self.step("C-1"):
            self.call("POST", "/auth/sms-code", {"mobile": mobile})
            answer = self.call("POST", "/auth/login",
                               {"mobile": mobile, "code": self._sms_code(mobile)})
        self.token = str(answer["token"])
        self.http.headers["Authorization"] = f"Bearer {self.token}"

    def accept_agreements(self) -> None:
        with self.step("C-2"):
            guide = self.call("GET", "/unlock/guide")
            self.call("POST", "/agreements/accept", {"agreements": [
                {"id": a["id"], "version": a["version"]} for a in guide["agreements"]]})

    def open_order(self, serial: str, mode: str = "realtime") -> str:
        with self.step("C-2"):
            self.call("GET", f"/certificates/{serial}")
        with self.step("C-3"):
            order = self.call("POST", "/orders", {"certificate_serial": serial, "mode": mode})
        return str(order["order_no"])

    # real-time checks ------------------------------------------------------------------
    def confirm_organisation(self, order_no: str, company: Company) -> None:
        with self.step("ORG-RT-5"):
            self.call("GET", f"/orders/{order_no}/organisation")
            self.call("POST", f"/orders/{order_no}/organisation", {
                "legal_rep_name": company.legal_rep.name,
                "legal_rep_id_number": company.legal_rep.id_number})

    def confirm_letter(self, order_no: str) -> None:
        with self.step("ORG-RT-7"):
            letter = self.call("GET", f"/orders/{order_no}/authorization-letter")
            self.call("POST", f"/orders/{order_no}/authorization-letter/confirm",
                      {"version": letter["version"]})

    def verify(self, step_id: str, order_no: str, step: str, method: str, person: Person,
               **extra: str) -> JSON:
        """Start one verification and pass it the way its method asks; → the order."""
        path = f"/orders/{order_no}/verifications/{step}"
        body = {"method": method, "name": person.name, "id_number": person.id_number, **extra}
        if method.endswith("carrier"):
            body["mobile"] = person.mobile
        elif method.endswith("bank"):
            body |= {"mobile": person.reserved_mobile, "bank_card": person.bank_card or ""}
        with self.step(step_id):
            started = self.call("POST", path, body)["verification"]
            if method.endswith("face"):
                token = _FACE_TOKEN.search(started["face"]["url"])
                if not token:
                    raise FlowBroken("the face URL holds no token")
                self.control.face_complete(token.group(1), "pass")  # the WeChat scan
                outcome = self.call("GET", path)
            elif method == "deposit":
                remark = self.control.deposit_statement(extra["account_number"])[-1].remark
                code = _CODE.search(remark)
                if not code:
                    raise FlowBroken("the deposit remark holds no code")
                outcome = self.call("POST", f"{path}/code", {"code": code.group(1)})
            else:
                outcome = self.call("POST", f"{path}/code",
                                    {"code": self._sms_code(body["mobile"])})
        if outcome["verification"]["status"] != "passed":
            raise FlowBroken(f"verification {step} is {outcome['verification']['status']}")
        return dict(outcome["order"])

    def result_screen(self, order_no: str) -> JSON:
        with self.step("PER-RT-6"):
            return dict(self.call("GET", f"/orders/{order_no}/result"))

    # C-5 ------------------------------------------------------------------------------
    def unlock(self, step_id: str, order_no: str, driver: PcscDriver, key_serial: str,
               new_pin: str) -> UnlockResult:
        """立即解锁: the agent asks the service (through this session's transport) and
        resets the card."""
        client = HttpUnlockServiceClient(self.base_url, self.token, transport=self.transport)
        with self.step(step_id):
            return UnlockAgent(client, driver).unlock(order_no, new_pin=new_pin,
                                                      confirm_pin=new_pin,
                                                      expected_key_serial=key_serial)

    # 我的业务单 and the session -------------------------------------------------------------
    def browse_orders(self, limit: int = 3) -> int:
        with self.step("我的业务单"):
            orders = self.call("GET", "/orders")["orders"]
            for summary in orders[:limit]:
                self.call("GET", f"/orders/{summary['order_no']}")
        return len(orders)

    def me_and_logout(self) -> None:
        with self.step("C-1"):
            self.call("GET", "/auth/me")
            self.call("POST", "/auth/logout")
