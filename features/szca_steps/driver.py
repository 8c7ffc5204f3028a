"""How a scenario's user acts: the ``Driver`` the steps go through, and ``ApiDriver``, the
service's JSON API (the default). ``BrowserDriver`` (browser_driver.py) does the same in
Chromium on the 网厅's pages; ``--driver browser`` or the ``@ui`` tag picks it (docs/bdd.md).

A driver does one user action per method and answers what the page showed (``Answer``): a
success with what the step needs of it, or the refusal with the service's code and words.
What the steps check afterwards (the card, the providers' journal, the SMS outbox) does not
depend on the driver.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol

import pytest

from emulator.bdd.world import BddWorld
from szca_unlock.api.errors import ApiError
from szca_unlock.client import ServiceClient
from szca_unlock.ukey import UnlockAgent

from .context import Answer, Method, body_of

if TYPE_CHECKING:
    from .context import Ctx

DRIVERS = ("api", "browser")


class Driver(Protocol):
    name: str

    # C-1 登录 … C-4 解锁方式
    def request_login_code(self, ctx: Ctx, mobile: str) -> Answer: ...
    def login_with(self, ctx: Ctx, mobile: str, code: str) -> Answer: ...
    def accept_agreements(self, ctx: Ctx, boxes: tuple[int, ...] | None) -> Answer: ...
    def checkbox_labels(self, ctx: Ctx) -> list[str]: ...
    def look_up(self, ctx: Ctx, serial: str) -> Answer: ...
    def open_order(self, ctx: Ctx, mode: str) -> Answer: ...
    # ORG-RT-5, ORG-RT-7
    def confirm_org_info(self, ctx: Ctx, name: str, id_number: str) -> Answer: ...
    def view_letter(self, ctx: Ctx) -> Answer: ...
    def confirm_letter(self, ctx: Ctx) -> Answer: ...
    # the verifications: ``form`` is what the user types (emulator.personas.forms)
    def start_verification(self, ctx: Ctx, method: Method, form: dict[str, str]) -> Answer: ...
    def enter_code(self, ctx: Ctx, code: str) -> Answer: ...
    def resend_code(self, ctx: Ctx) -> Answer: ...
    def scan_face(self, ctx: Ctx, outcome: str) -> Answer: ...
    # ORG-MR / PER-MR: the form, the printed 申请表, uploads, the operator's face, submit
    def save_manual_form(self, ctx: Ctx, fields: dict[str, str]) -> Answer: ...
    def application_pdf(self, ctx: Ctx) -> bytes: ...
    def upload(self, ctx: Ctx, slot: str, name: str, content: bytes,
               content_type: str) -> Answer: ...
    def operator_face(self, ctx: Ctx, outcome: str) -> Answer: ...
    def submit_manual(self, ctx: Ctx) -> Answer: ...
    def find_in_my_orders(self, ctx: Ctx, action: str) -> None: ...
    # the CA reviewer (another person, another browser)
    def approve(self, ctx: Ctx) -> None: ...
    def reject(self, ctx: Ctx, reason_label: str) -> None: ...
    # C-5 立即解锁, C-6 刷新网页
    def unlock(self, ctx: Ctx, pin: str) -> Answer: ...
    def refresh(self, ctx: Ctx) -> None: ...
    # what the user reads: on the phone, on the company's statement, on the page
    def login_code(self, ctx: Ctx, mobile: str) -> str: ...
    def verification_code(self, ctx: Ctx, mobile: str) -> str: ...
    def remark_code(self, ctx: Ctx) -> str: ...
    def result_screen(self, ctx: Ctx) -> dict[str, Any]: ...
    def order_state_label(self, ctx: Ctx) -> str: ...
    def countdown_seconds(self, ctx: Ctx) -> int: ...
    def close(self) -> None: ...


def _code_or_fail(read: Any, *args: Any, **kwargs: Any) -> str:
    try:
        return str(read(*args, **kwargs))
    except LookupError as exc:
        raise AssertionError(str(exc)) from None


def _order_no(ctx: Ctx) -> str:
    assert ctx.order_no, "no order opened yet"
    return ctx.order_no


@contextmanager
def _staff(ctx: Ctx) -> Iterator[ServiceClient]:
    """The CA reviewer's own login (scenarios' staff), closed after the decision."""
    staff = ctx.world.scenario.staff[0]
    client = ctx.world.service_client()
    try:
        client.staff_login(staff.username, staff.password)
        yield client
    finally:
        client.close()


class ApiDriver:
    """The user's browser session as the JSON API's client (``ctx.client``); the phone and
    the statement read through the providers' control API."""

    name = "api"

    def request_login_code(self, ctx: Ctx, mobile: str) -> Answer:
        return ctx.act(ctx.client.request_sms_code, mobile)

    def login_with(self, ctx: Ctx, mobile: str, code: str) -> Answer:
        return ctx.act(ctx.client.login, mobile, code)  # keeps the token

    def checkbox_labels(self, ctx: Ctx) -> list[str]:
        return [box["label"] for box in body_of(ctx.client.guide())["checkboxes"]]

    def accept_agreements(self, ctx: Ctx, boxes: tuple[int, ...] | None) -> Answer:
        """Each tick accepts every agreement it names."""
        guide = body_of(ctx.client.guide())
        wanted = {i for n, box in enumerate(guide["checkboxes"]) if boxes is None or n in boxes
                  for i in box["agreements"]}
        ticked = [(a["id"], a["version"]) for a in guide["agreements"] if a["id"] in wanted]
        return ctx.act(ctx.client.accept_agreements, ticked)

    def look_up(self, ctx: Ctx, serial: str) -> Answer:
        return ctx.act(ctx.client.lookup_certificate, serial)

    def open_order(self, ctx: Ctx, mode: str) -> Answer:
        assert ctx.persona is not None
        return ctx.act(ctx.client.create_order, ctx.persona.serial_hex, mode)

    def confirm_org_info(self, ctx: Ctx, name: str, id_number: str) -> Answer:
        assert ctx.order_no
        return ctx.act(ctx.client.confirm_organisation, ctx.order_no, name, id_number)

    def view_letter(self, ctx: Ctx) -> Answer:
        assert ctx.order_no
        return ctx.act(ctx.client.authorization_letter, ctx.order_no)

    def confirm_letter(self, ctx: Ctx) -> Answer:
        assert ctx.order_no
        letter = ctx.client.authorization_letter(ctx.order_no)
        return ctx.act(ctx.client.confirm_authorization_letter, ctx.order_no, letter.version)

    def start_verification(self, ctx: Ctx, method: Method, form: dict[str, str]) -> Answer:
        assert ctx.order_no
        extra = {k: v for k, v in form.items() if k not in ("method", "name", "id_number")}
        return ctx.act(ctx.client.start_verification, ctx.order_no, method.step,
                       form["method"], form["name"], form["id_number"], **extra)

    def enter_code(self, ctx: Ctx, code: str) -> Answer:
        assert ctx.pending is not None and ctx.order_no, "no verification started"
        return ctx.act(ctx.client.submit_code, ctx.order_no, ctx.pending.method.step, code)

    def resend_code(self, ctx: Ctx) -> Answer:
        assert ctx.pending is not None and ctx.order_no
        return ctx.act(ctx.client.resend_code, ctx.order_no, ctx.pending.method.step)

    def scan_face(self, ctx: Ctx, outcome: str) -> Answer:
        """WeChat opens the QR code's URL; the page then asks the service for the result."""
        assert ctx.pending is not None and ctx.order_no
        ctx.world.control.complete_face(ctx.pending.answer["verification"]["face"]["url"],
                                        outcome)
        return ctx.act(ctx.client.verification, ctx.order_no, ctx.pending.method.step)

    def save_manual_form(self, ctx: Ctx, fields: dict[str, str]) -> Answer:
        return ctx.act(ctx.client.save_manual_form, _order_no(ctx), **fields)

    def application_pdf(self, ctx: Ctx) -> bytes:
        return ctx.client.application_form_pdf(_order_no(ctx))

    def upload(self, ctx: Ctx, slot: str, name: str, content: bytes,
               content_type: str) -> Answer:
        return ctx.act(ctx.client.upload_document, _order_no(ctx), slot, name, content,
                       content_type)

    def operator_face(self, ctx: Ctx, outcome: str) -> Answer:
        started = ctx.client.start_operator_face(_order_no(ctx))
        ctx.world.control.complete_face(started.url or "", outcome)
        return ctx.act(ctx.client.operator_face, _order_no(ctx))

    def submit_manual(self, ctx: Ctx) -> Answer:
        return ctx.act(ctx.client.submit_manual, _order_no(ctx))

    def find_in_my_orders(self, ctx: Ctx, action: str) -> None:
        orders = body_of(ctx.client.list_orders())["orders"]
        assert ctx.order_no in [o["order_no"] for o in orders], orders
        if action == "编辑":
            manual = body_of(ctx.client.manual_page(_order_no(ctx)))
            assert manual["can_edit"], "the order cannot be edited"

    def approve(self, ctx: Ctx) -> None:
        with _staff(ctx) as staff:
            staff.approve(_order_no(ctx))

    def reject(self, ctx: Ctx, reason_label: str) -> None:
        with _staff(ctx) as staff:
            review = body_of(staff.review(_order_no(ctx)))
            codes = [r["code"] for r in review["reasons"] if r["label"] == reason_label]
            assert codes, f"no rejection reason {reason_label!r} in {review['reasons']}"
            staff.reject(_order_no(ctx), codes)

    def unlock(self, ctx: Ctx, pin: str) -> Answer:
        """The CA driver tool unlocks the key now in the reader for the order."""
        assert ctx.key is not None and ctx.order_no
        client = ctx.client.unlock_client()
        try:
            result = UnlockAgent(client, ctx.key.driver).unlock(
                ctx.order_no, new_pin=pin, confirm_pin=pin)
            answer = Answer(200, {"state": result.order_state, "key_serial": result.key_serial})
        except ApiError as exc:
            answer = Answer(exc.status, {"error": {
                "code": exc.code, "message": str(exc), "help": exc.help}})
        except Exception as exc:  # a refusal before the service was asked (PIN policy)
            code = getattr(exc, "code", type(exc).__name__)
            answer = Answer(422, {"error": {"code": code, "message": str(exc)}})
        finally:
            client.close()
        return ctx.remember(answer)

    def refresh(self, ctx: Ctx) -> None:
        """An API client holds no page: nothing to reload."""

    def login_code(self, ctx: Ctx, mobile: str) -> str:
        return _code_or_fail(ctx.world.control.sms_code, mobile, after=ctx.login_since,
                             purpose="login")

    def verification_code(self, ctx: Ctx, mobile: str) -> str:
        assert ctx.pending is not None
        return _code_or_fail(ctx.world.control.sms_code, mobile, after=ctx.pending.since,
                             purpose="verification")

    def remark_code(self, ctx: Ctx) -> str:
        assert ctx.order_no, "no order opened yet"
        return _code_or_fail(ctx.world.control.deposit_code, ctx.company.account.account_no,
                             ctx.order_no)

    def result_screen(self, ctx: Ctx) -> dict[str, Any]:
        assert ctx.order_no
        return dict(body_of(ctx.client.result_screen(ctx.order_no)))

    def order_state_label(self, ctx: Ctx) -> str:
        return str(ctx.order()["state_label"])

    def countdown_seconds(self, ctx: Ctx) -> int:
        """What 获取验证码 shows right after sending: the resend interval less the second
        that has begun (60 → 59s)."""
        assert ctx.pending is not None
        return int(ctx.pending.answer["verification"]["resend_after"]) - 1

    def close(self) -> None:
        """Nothing held beyond ``ctx.client``."""


def add_driver_option(parser: pytest.Parser) -> None:
    parser.getgroup("szca-bdd").addoption(
        "--driver", choices=DRIVERS, default=None,
        help="how every scenario's user acts: through the service's API or on the 网厅's "
             "pages in Chromium. Unset: the API, except the scenarios tagged @ui, which use "
             "the browser (in the in-process world)")


def uses_browser(config: pytest.Config, item: pytest.Item, deployed: bool) -> bool:
    """``--driver``: every scenario that way; unset, the ``@ui`` ones in the in-process world
    (against a deployment they run through the API: its pages name its own helper)."""
    chosen = config.getoption("--driver")
    if chosen is not None:
        return bool(chosen == "browser")
    return item.get_closest_marker("ui") is not None and not deployed


@pytest.fixture
def bdd_driver(request: pytest.FixtureRequest, bdd_world: BddWorld) -> Iterator[Driver]:
    if uses_browser(request.config, request.node, bdd_world.clock is None):
        from .browser_driver import browser_driver  # playwright only when a page is driven

        driver: Driver = browser_driver(request, bdd_world)
    else:
        driver = ApiDriver()
    yield driver
    driver.close()
