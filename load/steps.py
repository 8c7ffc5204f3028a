"""What an applicant (and a CA reviewer) does, step by step (IDs of docs/flows.md), through
the product's typed ``ServiceClient`` whose transport reports to Locust; the phone's part
(SMS inbox, WeChat face scan, finance reading the deposit remark) goes through the mock
providers' control API."""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

from PIL import Image, ImageDraw

from emulator.mock_providers.client import ProviderControl
from emulator.personas import Company, Person
from emulator.personas.forms import form_for
from load.transport import LocustTransport
from szca_unlock.api.orders import OrderView
from szca_unlock.client import ServiceClient
from szca_unlock.client.unlock import HttpUnlockServiceClient
from szca_unlock.ukey import UnlockAgent
from szca_unlock.ukey.pcsc import PcscDriver
from szca_unlock.ukey.types import UnlockResult


class FlowBroken(RuntimeError):
    """The service answered something the flow cannot go on from."""


@lru_cache(maxsize=8)
def scan(label: str) -> bytes:
    """A small legible JPEG standing for a scanned document (made once per process)."""
    image = Image.new("RGB", (800, 560), (236, 240, 246))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 760, 520), outline=(20, 40, 90), width=6)
    draw.text((80, 80), label, fill=(10, 10, 10))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


class Applicant:
    """One applicant's browser: its own address and connection, its login."""

    def __init__(self, base_url: str, transport: LocustTransport, control: ProviderControl,
                 token: str | None = None) -> None:
        self.transport = transport
        self.control = control
        self.client = ServiceClient(base_url, token, timeout_s=30, transport=transport)

    def close(self) -> None:
        self.client.close()

    def step(self, step: str) -> Any:
        return self.transport.at_step(step)

    def sms_code(self, mobile: str, after: float | None = None, purpose: str = "login") -> str:
        try:
            return self.control.sms_code(mobile, after=after, purpose=purpose)
        except LookupError as exc:
            raise FlowBroken(str(exc)) from exc

    def complete_face(self, url: str | None) -> None:
        try:
            self.control.complete_face(url or "")
        except ValueError as exc:
            raise FlowBroken(str(exc)) from exc

    # C-1 .. C-3 ------------------------------------------------------------------------
    def login(self, mobile: str) -> None:
        with self.step("C-1"):
            since = self.control.now()
            self.client.request_sms_code(mobile)
            self.client.login(mobile, self.sms_code(mobile, since))

    def accept_agreements(self) -> None:
        with self.step("C-2"):
            self.client.accept_agreements()

    def open_order(self, serial: str, mode: str = "realtime") -> str:
        with self.step("C-2"):
            self.client.lookup_certificate(serial)
        with self.step("C-3"):
            return self.client.create_order(serial, mode).order_no

    # real-time checks ------------------------------------------------------------------
    def confirm_organisation(self, order_no: str, company: Company) -> None:
        with self.step("ORG-RT-5"):
            self.client.organisation(order_no)
            self.client.confirm_organisation(order_no, company.legal_rep.name,
                                             company.legal_rep.id_number)

    def confirm_letter(self, order_no: str) -> None:
        with self.step("ORG-RT-7"):
            letter = self.client.authorization_letter(order_no)
            self.client.confirm_authorization_letter(order_no, letter.version)

    def verify(self, step_id: str, order_no: str, step: str, method: str, person: Person,
               company: Company | None = None) -> OrderView:
        """Start one verification and pass it the way its method asks; → the order."""
        form = form_for(method, person, company)
        extra = {k: v for k, v in form.items() if k not in ("method", "name", "id_number")}
        with self.step(step_id):
            since = self.control.now()
            started = self.client.start_verification(order_no, step, method, person.name,
                                                     person.id_number, **extra).verification
            if started.face is not None:
                self.complete_face(started.face.url)
                outcome = self.client.verification(order_no, step)
            elif started.deposit is not None:
                try:
                    code = self.control.deposit_code(form["account_number"], order_no)
                except LookupError as exc:
                    raise FlowBroken(str(exc)) from exc
                outcome = self.client.submit_code(order_no, step, code)
            else:
                code = self.sms_code(form["mobile"], since, "verification")
                outcome = self.client.submit_code(order_no, step, code)
        if outcome.verification.status != "passed":
            raise FlowBroken(f"verification {step} is {outcome.verification.status}")
        return outcome.order

    def result_screen(self, order_no: str) -> None:
        with self.step("PER-RT-6"):
            self.client.result_screen(order_no)

    # manual review (PER-MR-5..6, ORG-MR-5..8) --------------------------------------------
    def submit_manual(self, step_id: str, order_no: str, form: dict[str, Any]) -> None:
        """Fill in, print the application form, upload every slot, face if asked, submit."""
        with self.step(step_id):
            self.client.save_manual_form(order_no, **form)
            self.client.application_form_pdf(order_no)
            page = self.client.manual_page(order_no)
            for slot in page.slots:
                self.client.upload_document(order_no, slot.slot, f"{slot.slot}.jpg",
                                            scan(slot.slot), "image/jpeg")
            if page.face.required:
                started = self.client.start_operator_face(order_no)
                self.complete_face(started.url)
                self.client.operator_face(order_no)
            if not self.client.submit_manual(order_no).order.state == "submitted":
                raise FlowBroken(f"order {order_no} was not submitted")

    # C-5 ------------------------------------------------------------------------------
    def unlock(self, step_id: str, order_no: str, driver: PcscDriver, key_serial: str,
               new_pin: str) -> UnlockResult:
        """立即解锁: the agent asks the service (through this browser's transport) and
        resets the card."""
        if not self.client.token:
            raise FlowBroken("not logged in")
        service = HttpUnlockServiceClient(self.client.base_url, self.client.token,
                                          transport=self.transport)
        with self.step(step_id):
            return UnlockAgent(service, driver).unlock(order_no, new_pin=new_pin,
                                                       confirm_pin=new_pin,
                                                       expected_key_serial=key_serial)

    # 我的业务单 and the session -------------------------------------------------------------
    def browse_orders(self, limit: int = 3) -> int:
        with self.step("我的业务单"):
            orders = self.client.list_orders().orders
            for summary in orders[:limit]:
                self.client.get_order(summary.order_no)
        return len(orders)

    def me_and_logout(self) -> None:
        with self.step("C-1"):
            self.client.me()
            self.client.logout()


class Reviewer:
    """A CA reviewer's browser on the staff pages (ORG-MR-9 / PER-MR-7)."""

    def __init__(self, base_url: str, transport: LocustTransport) -> None:
        self.transport = transport
        self.client = ServiceClient(base_url, timeout_s=30, transport=transport)

    def login(self, username: str, password: str) -> None:
        with self.transport.at_step("staff"):
            self.client.staff_login(username, password)

    def approve(self, step_id: str, order_no: str) -> None:
        """The queue, the order with its documents, 通过. The order comes from this load
        process (two reviewers never take the same order, as the CA assigns them)."""
        with self.transport.at_step(step_id):
            self.client.review_queue()
            self.client.review(order_no)
            decision = self.client.approve(order_no, "资料齐全,同意解锁(负载测试)")
        if decision.order.state != "approved":
            raise FlowBroken(f"order {order_no} is {decision.order.state} after approval")
