"""Locust user classes, one per flow, with a realistic mix by ``weight`` (load/README.md).

Each task is one applicant's visit: lease an account, run the flow from SMS login to the
unlocked key, report the flow as a ``FLOW`` entry (end to end) next to the per-step
requests, give the account back to rest.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import gevent
import httpx
from locust import User, between, task

from emulator.mock_providers.client import ControlError, ProviderControl
from load.cards import NEW_PIN, in_process_driver, locked_card
from load.context import LoadContext, ManualCase, load_context
from load.pool import Lease, PoolExhausted
from load.population import Account
from load.steps import Applicant, FlowBroken, Reviewer
from load.transport import LocustTransport, ServiceCallFailed, persona_address
from szca_unlock.api.errors import ApiError
from szca_unlock.domain.verification_methods import Method
from szca_unlock.ukey import UKeyError
from szca_unlock.ukey.pcsc import PcscDriver

LEASE_TIMEOUT_S = 30.0
STAFF_ADDRESS_BASE = 1_500_000  # staff browsers sit far above every persona address
FLOW_ERRORS = (ApiError, FlowBroken, UKeyError, ControlError, httpx.HTTPError, PoolExhausted,
               LookupError)


def think_time() -> Callable[..., float]:
    low, _, high = os.environ.get("SZCA_LOAD_THINK", "1,3").partition(",")
    return between(float(low), float(high or low))


def offload(func: Any, args: Any) -> Any:
    """Card OS work (scrypt PIN hashing) in gevent's OS-thread pool, off the event loop."""
    return gevent.get_hub().threadpool.apply(func, args)


def _pick(weights: dict[Method, int]) -> Method:
    return random.choices(list(weights), list(weights.values()))[0]


class FlowUser(User):
    abstract = True
    pool: ClassVar[str] = "personal"
    wait_time = think_time()

    def on_start(self) -> None:
        self.ctx: LoadContext = load_context()
        self.control = ProviderControl(self.ctx.manifest.mock_url, timeout_s=30)

    def on_stop(self) -> None:
        self.control.close()

    def report(self, name: str, started: float, error: BaseException | None) -> None:
        if isinstance(error, ApiError):  # its text is the Chinese message: name the status
            error = ServiceCallFailed(error)
        self.environment.events.request.fire(
            request_type="FLOW", name=name, response_time=(time.perf_counter() - started) * 1000,
            response_length=0, response=None, context={}, exception=error)

    def applicant(self, account: Account, token: str | None = None) -> Applicant:
        transport = LocustTransport.for_service(self.environment.events.request.fire,
                                                self.ctx.manifest.service_url,
                                                persona_address(account.index))
        return Applicant(self.ctx.manifest.service_url, transport, self.control, token)

    def flow(self, applicant: Applicant, lease: Lease[Account]) -> str:
        """Run the flow; return its report name. A flow that keeps the account for later
        (manual review) sets ``lease.kept``."""
        raise NotImplementedError

    @task
    def one_visit(self) -> None:
        self.visit()

    def visit(self) -> None:
        started = time.perf_counter()
        try:
            lease = self.ctx.pools[self.pool].lease(gevent.sleep, LEASE_TIMEOUT_S)
        except PoolExhausted as exc:
            self.report(f"{type(self).__name__} lease", started, exc)
            return
        applicant = self.applicant(lease.item)
        name, error = type(self).__name__, None
        try:
            name = self.flow(applicant, lease)
        except FLOW_ERRORS as exc:
            error = exc
        finally:
            applicant.close()
        if not lease.kept:
            lease.home.release(lease, ok=error is None)
        self.report(name, started, error)

    @contextmanager
    def locked_key(self, account: Account) -> Iterator[PcscDriver]:
        """The persona's blocked U-KEY as the agent sees it: here the card OS in-process."""
        cert = account.certificate
        assert cert is not None
        card = locked_card(cert, self.ctx.population.ders[cert.serial_hex],
                           self.ctx.population.private_key(account.key_index),
                           self.ctx.master_key)
        yield in_process_driver(card, offload)

    def unlock_and_check(self, applicant: Applicant, step_id: str, order_no: str,
                         account: Account) -> None:
        """立即解锁 on the persona's locked card, then the new PIN must verify on the card."""
        cert = account.certificate
        assert cert is not None
        with self.locked_key(account) as driver:
            result = applicant.unlock(step_id, order_no, driver, cert.key_serial, NEW_PIN)
            if result.order_state != "completed":
                raise FlowBroken(f"order {order_no} is {result.order_state} after the unlock")
            with driver.open(driver.list_keys()[0]) as key:
                key.verify_pin(NEW_PIN)
        if applicant.client.token:  # the applicant may look at 我的业务单 next
            self.ctx.sessions.append((account, applicant.client.token))


class PersonalRealtimeUser(FlowUser):
    """PER-RT: org-personal and natural-person certificates, real-time, then unlock."""

    weight = 30
    methods: ClassVar[dict[Method, int]] = {Method.FACE: 6, Method.CARRIER: 3, Method.BANK: 1}

    def flow(self, applicant: Applicant, lease: Lease[Account]) -> str:
        account = lease.item
        assert account.certificate is not None and account.holder is not None
        method = _pick(self.methods)
        applicant.login(account.mobile)
        applicant.accept_agreements()
        order_no = applicant.open_order(account.certificate.serial_hex)
        applicant.verify("PER-RT-5", order_no, "identity", method, account.holder)
        applicant.result_screen(order_no)
        self.unlock_and_check(applicant, "C-5", order_no, account)
        return f"PER-RT {method} → unlocked"


class _OrgRealtimeUser(FlowUser):
    """ORG-RT with one enterprise method (ORG-RT-8a..d); the operator method varies."""

    abstract = True
    pool = "org"
    enterprise: ClassVar[Method]
    operator_methods: ClassVar[dict[Method, int]] = {Method.FACE: 5, Method.CARRIER: 3,
                                                     Method.BANK: 2}

    def flow(self, applicant: Applicant, lease: Lease[Account]) -> str:
        account, company = lease.item, lease.item.company
        assert account.certificate is not None and company is not None
        operator = _pick(self.operator_methods)
        applicant.login(account.mobile)
        applicant.accept_agreements()
        order_no = applicant.open_order(account.certificate.serial_hex)
        applicant.confirm_organisation(order_no, company)
        applicant.verify("ORG-RT-6", order_no, "operator", operator, company.operator)
        applicant.confirm_letter(order_no)
        applicant.verify("ORG-RT-8", order_no, "enterprise", self.enterprise, company.legal_rep,
                         company)
        self.unlock_and_check(applicant, "ORG-RT-9", order_no, account)
        return f"ORG-RT {self.enterprise} (operator {operator}) → unlocked"


class OrgLegalFaceUser(_OrgRealtimeUser):
    weight = 8
    enterprise = Method.LEGAL_FACE


class OrgLegalCarrierUser(_OrgRealtimeUser):
    weight = 4
    enterprise = Method.LEGAL_CARRIER


class OrgLegalBankUser(_OrgRealtimeUser):
    weight = 3
    enterprise = Method.LEGAL_BANK


class OrgDepositUser(_OrgRealtimeUser):
    weight = 3
    enterprise = Method.DEPOSIT


class _ManualUser(FlowUser):
    """Manual review: submit (form, application PDF, uploads, face if asked), wait for a
    reviewer of this process, then come back with the same login and unlock."""

    abstract = True
    flow_id: ClassVar[str] = ""
    fill_step: ClassVar[str] = ""
    unlock_step: ClassVar[str] = ""

    def form(self, account: Account) -> dict[str, Any]:
        raise NotImplementedError

    def visit(self) -> None:
        if self.ctx.approved:
            self.unlock_approved(self.ctx.approved.popleft())
        else:
            super().visit()

    def flow(self, applicant: Applicant, lease: Lease[Account]) -> str:
        account = lease.item
        assert account.certificate is not None
        applicant.login(account.mobile)
        applicant.accept_agreements()
        order_no = applicant.open_order(account.certificate.serial_hex, "manual")
        applicant.submit_manual(self.fill_step, order_no, self.form(account))
        lease.kept = True  # until the unlock
        self.ctx.awaiting_review.append(ManualCase(lease, applicant.client.token or "",
                                                   order_no, time.perf_counter()))
        return f"{self.flow_id} submitted"

    def unlock_approved(self, case: ManualCase) -> None:
        started = time.perf_counter()
        applicant = self.applicant(case.lease.item, case.token)
        error = None
        try:
            with applicant.step(self.unlock_step):
                applicant.client.get_order(case.order_no)  # 我的业务单 → the order → 解锁
            self.unlock_and_check(applicant, self.unlock_step, case.order_no, case.lease.item)
        except FLOW_ERRORS as exc:
            error = exc
        finally:
            applicant.close()
        case.lease.kept = False
        case.lease.home.release(case.lease, ok=error is None)
        self.report(f"{self.flow_id} approved → unlocked", started, error)


class PersonalManualUser(_ManualUser):
    weight = 6
    flow_id, fill_step, unlock_step = "PER-MR", "PER-MR-5", "PER-MR-8"

    def form(self, account: Account) -> dict[str, Any]:
        holder = account.holder
        assert holder is not None
        return {"applicant_name": holder.name, "applicant_id_number": holder.id_number,
                "applicant_mobile": holder.mobile}


class OrgManualUser(_ManualUser):
    weight = 3
    pool = "org"
    flow_id, fill_step, unlock_step = "ORG-MR", "ORG-MR-5", "ORG-MR-11"

    def form(self, account: Account) -> dict[str, Any]:
        company = account.company
        assert company is not None
        operator = company.operator
        return {"org_name": company.name, "org_id_type": "统一社会信用代码证",
                "org_id_number": company.uscc, "fee": "0", "province": company.province,
                "city": company.city, "address": company.address or "深圳市福田区福华三路100号",
                "operator_name": operator.name, "operator_id_number": operator.id_number,
                "operator_mobile": operator.mobile,
                "operator_title": operator.title or "行政专员",
                "operator_email": operator.email or "operator@example.com"}


class StaffReviewUser(FlowUser):
    """A CA reviewer: logs in once, approves what this process's applicants submitted."""

    weight = 2

    def on_start(self) -> None:
        super().on_start()
        number = self.ctx.staff_taken
        self.ctx.staff_taken += 1
        manifest = self.ctx.manifest
        self.transport = LocustTransport.for_service(
            self.environment.events.request.fire, manifest.service_url,
            persona_address(STAFF_ADDRESS_BASE + number))
        self.reviewer = Reviewer(manifest.service_url, self.transport)
        self.reviewer.login(manifest.staff_usernames[number % len(manifest.staff_usernames)],
                            manifest.staff_password)

    def on_stop(self) -> None:
        self.reviewer.client.close()
        super().on_stop()

    def visit(self) -> None:
        if not self.ctx.awaiting_review:
            return
        case = self.ctx.awaiting_review.popleft()
        started, error = time.perf_counter(), None
        step = "ORG-MR-9" if case.lease.item.company and case.lease.item.holder is None \
            else "PER-MR-7"
        try:
            self.reviewer.approve(step, case.order_no)
            self.ctx.approved.append(case)
        except FLOW_ERRORS as exc:
            error = exc
            case.lease.home.release(case.lease, ok=False)
        self.report(f"{step} review → approved", started, error)


class SmsLoginStormUser(FlowUser):
    """C-1 storm: code, login, who am I, log out — distinct mobiles, no order."""

    weight = 15
    pool = "storm"

    def flow(self, applicant: Applicant, lease: Lease[Account]) -> str:
        applicant.login(lease.item.mobile)
        applicant.me_and_logout()
        return "C-1 SMS login"


class BrowseOrdersUser(FlowUser):
    """我的业务单: an applicant who just unlocked looks at the list and the newest orders,
    then logs out; when nobody has, someone logs in and finds the list empty."""

    weight = 12

    def visit(self) -> None:
        if not self.ctx.sessions:
            super().visit()
            return
        account, token = self.ctx.sessions.popleft()
        started, error = time.perf_counter(), None
        applicant = self.applicant(account, token)
        try:
            applicant.browse_orders()
            applicant.me_and_logout()
        except FLOW_ERRORS as exc:
            error = exc
        finally:
            applicant.close()
        self.report("我的业务单 browse (after unlock)", started, error)

    def flow(self, applicant: Applicant, lease: Lease[Account]) -> str:
        applicant.login(lease.item.mobile)
        applicant.browse_orders()
        applicant.me_and_logout()
        return "我的业务单 browse (fresh login)"


USER_CLASSES: tuple[type[FlowUser], ...] = (
    PersonalRealtimeUser, OrgLegalFaceUser, OrgLegalCarrierUser, OrgLegalBankUser,
    OrgDepositUser, PersonalManualUser, OrgManualUser, StaffReviewUser, SmsLoginStormUser,
    BrowseOrdersUser)
