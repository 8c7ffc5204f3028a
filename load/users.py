"""Locust user classes, one per flow, with a realistic mix by ``weight`` (load/README.md).

Each task is one applicant's whole visit: lease an account, run the flow from SMS login
to the unlocked key, report the flow as a ``FLOW`` entry (its time end to end) next to the
per-step requests, give the account back to rest.
"""

from __future__ import annotations

import os
import random
import time
from typing import Any, ClassVar

import gevent
import httpx
from locust import User, between, task

from emulator.mock_providers.client import ControlError, ProviderControl
from load.cards import NEW_PIN, in_process_driver, locked_card
from load.context import RETURNING, LoadContext, load_context
from load.pool import AccountPool, Lease, PoolExhausted
from load.population import Account
from load.steps import Applicant, FlowBroken
from load.transport import LocustTransport, ServiceCallFailed, persona_address
from szca_unlock.ukey import UKeyError
from szca_unlock.ukey.service_client import ServiceError

LEASE_TIMEOUT_S = 30.0
RETURNING_CAP = 64  # applicants kept aside for 我的业务单; the rest rest in their home pool
FLOW_ERRORS = (ServiceCallFailed, FlowBroken, UKeyError, ServiceError, ControlError,
               httpx.HTTPError, PoolExhausted, LookupError)


def think_time() -> Any:
    low, _, high = os.environ.get("SZCA_LOAD_THINK", "1,3").partition(",")
    return between(float(low), float(high or low))


def offload(func: Any, args: Any) -> Any:
    """Card OS work (scrypt PIN hashing) in gevent's OS-thread pool, off the event loop."""
    return gevent.get_hub().threadpool.apply(func, args)


class FlowUser(User):
    abstract = True
    pool: ClassVar[str] = "personal"
    leaves_orders: ClassVar[bool] = False  # a finished visit has orders to browse later
    wait_time = think_time()

    def on_start(self) -> None:
        self.ctx: LoadContext = load_context()
        self.control = ProviderControl(self.ctx.manifest.mock_url, timeout_s=30)

    def on_stop(self) -> None:
        self.control.close()

    def flow(self, applicant: Applicant, account: Account) -> str:
        """Run the flow; return its report name."""
        raise NotImplementedError

    def lease(self) -> Lease[Account]:
        return self.ctx.pools[self.pool].lease(gevent.sleep, LEASE_TIMEOUT_S)

    def give_back(self, lease: Lease[Account], ok: bool) -> None:
        returning = self.ctx.pools[RETURNING]
        target: AccountPool[Account] = (
            returning if ok and self.leaves_orders and len(returning) < RETURNING_CAP
            else lease.home)
        target.release(lease, ok=ok)

    @task
    def visit(self) -> None:
        fire = self.environment.events.request.fire
        started = time.perf_counter()
        try:
            lease = self.lease()
        except PoolExhausted as exc:
            fire(request_type="FLOW", name=f"{type(self).__name__} lease", response_time=0,
                 response_length=0, response=None, context={}, exception=exc)
            return
        transport = LocustTransport(fire, persona_address(lease.item.index))
        applicant = Applicant(self.ctx.manifest.service_url, transport, self.control)
        name, error = type(self).__name__, None
        try:
            name = self.flow(applicant, lease.item)
        except FLOW_ERRORS as exc:
            error = exc
        finally:
            applicant.close()
            transport.close()
            self.give_back(lease, error is None)
        fire(request_type="FLOW", name=name, response_time=(time.perf_counter() - started) * 1000,
             response_length=0, response=None, context={}, exception=error)

    def unlock_and_check(self, applicant: Applicant, step_id: str, order_no: str,
                         account: Account) -> None:
        """立即解锁 on the persona's locked card, then the new PIN must verify on the card."""
        cert = account.certificate
        assert cert is not None
        card = locked_card(cert, self.ctx.population.ders[cert.serial_hex],
                           self.ctx.population.private_key(account.key_index),
                           self.ctx.master_key)
        driver = in_process_driver(card, offload)
        result = applicant.unlock(step_id, order_no, driver, cert.key_serial, NEW_PIN)
        if result.order_state != "completed":
            raise FlowBroken(f"order {order_no} is {result.order_state} after the unlock")
        with driver.open(driver.list_keys()[0]) as key:
            key.verify_pin(NEW_PIN)


def _pick(weights: dict[str, int]) -> str:
    return random.choices(list(weights), list(weights.values()))[0]


class PersonalRealtimeUser(FlowUser):
    """PER-RT: org-personal and natural-person certificates, real-time, then unlock."""

    weight = 30
    leaves_orders = True
    methods: ClassVar[dict[str, int]] = {"face": 6, "carrier": 3, "bank": 1}

    def flow(self, applicant: Applicant, account: Account) -> str:
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
    leaves_orders = True
    enterprise: ClassVar[str] = ""
    operator_methods: ClassVar[dict[str, int]] = {"face": 5, "carrier": 3, "bank": 2}

    def flow(self, applicant: Applicant, account: Account) -> str:
        company = account.company
        assert account.certificate is not None and company is not None
        operator = _pick(self.operator_methods)
        applicant.login(account.mobile)
        applicant.accept_agreements()
        order_no = applicant.open_order(account.certificate.serial_hex)
        applicant.confirm_organisation(order_no, company)
        applicant.verify("ORG-RT-6", order_no, "operator", operator, company.operator)
        applicant.confirm_letter(order_no)
        extra = ({"bank_name": company.account.bank, "branch_name": company.account.branch,
                  "account_number": company.account.account_no}
                 if self.enterprise == "deposit" else {})
        applicant.verify("ORG-RT-8", order_no, "enterprise", self.enterprise, company.legal_rep,
                         **extra)
        self.unlock_and_check(applicant, "ORG-RT-9", order_no, account)
        return f"ORG-RT {self.enterprise} (operator {operator}) → unlocked"


class OrgLegalFaceUser(_OrgRealtimeUser):
    weight = 8
    enterprise = "legal_face"


class OrgLegalCarrierUser(_OrgRealtimeUser):
    weight = 4
    enterprise = "legal_carrier"


class OrgLegalBankUser(_OrgRealtimeUser):
    weight = 3
    enterprise = "legal_bank"


class OrgDepositUser(_OrgRealtimeUser):
    weight = 3
    enterprise = "deposit"


class SmsLoginStormUser(FlowUser):
    """C-1 storm: code, login, who am I, log out — distinct mobiles, no order."""

    weight = 15
    pool = "storm"

    def flow(self, applicant: Applicant, account: Account) -> str:
        applicant.login(account.mobile)
        applicant.me_and_logout()
        return "C-1 SMS login"


class BrowseOrdersUser(FlowUser):
    """我的业务单: an applicant who has orders logs in, lists them, opens the newest ones
    and logs out (someone without orders yet when none has come back)."""

    weight = 15

    def lease(self) -> Lease[Account]:
        back = self.ctx.pools[RETURNING].try_lease()
        return back if back is not None else super().lease()

    def give_back(self, lease: Lease[Account], ok: bool) -> None:
        lease.home.release(lease, ok=ok)

    def flow(self, applicant: Applicant, account: Account) -> str:
        applicant.login(account.mobile)
        applicant.browse_orders()
        applicant.me_and_logout()
        return "我的业务单 browse"


USER_CLASSES: tuple[type[FlowUser], ...] = (
    PersonalRealtimeUser, OrgLegalFaceUser, OrgLegalCarrierUser, OrgLegalBankUser,
    OrgDepositUser, SmsLoginStormUser, BrowseOrdersUser)
