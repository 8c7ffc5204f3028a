"""The step library itself: 那么 steps must fail when what they claim did not happen. These
run without a world (a fake outbox), so each one shows a step that cannot lie."""

from __future__ import annotations

from typing import Any

import pytest
from szca_steps.context import Ctx, Pending, method_for
from szca_steps.then_steps import code_sent, no_code_sent

from emulator.bdd.personas import fresh_scenario
from emulator.bdd.world import BddWorld
from emulator.mock_providers.client import SMS_PURPOSES, ProviderControl
from emulator.mock_providers.sms.models import SmsMessage


class FakeOutbox(ProviderControl):
    """The control client over an outbox held in memory (no providers running)."""

    def __init__(self) -> None:  # no HTTP client
        self.sent: list[SmsMessage] = []
        self.clock = 1000.0

    def text(self, mobile: str, purpose: str, code: str) -> None:
        wording = "您的登录验证码为{}" if purpose == "login" else "您的验证码为{}"
        self.sent.append(SmsMessage(f"sn{len(self.sent)}", mobile, SMS_PURPOSES[purpose],
                                    (code, "5"), wording.format(code) + ",5分钟内有效。",
                                    "深圳CA", self.clock, ""))
        self.clock += 1

    def outbox(self, mobile: str | None = None) -> list[SmsMessage]:
        return [m for m in reversed(self.sent) if mobile is None or m.mobile == mobile]

    def now(self) -> float:
        return self.clock


@pytest.fixture
def ctx() -> Ctx:
    scenario = fresh_scenario(7)
    world = BddWorld(scenario, "http://127.0.0.1:9", FakeOutbox(), None, None, b"", None)  # type: ignore[arg-type]
    context = Ctx(world, None)  # type: ignore[arg-type]
    context.persona = scenario.certificate("natural")
    return context


def _start_carrier_check(ctx: Ctx) -> Any:
    """As if 申请人选择"手机实名认证"验证 had been pressed now (no SMS sent yet)."""
    holder = ctx.person("申请人")
    pending = Pending(method_for("手机实名认证", "申请人"), holder, holder.mobile, {}, {})
    pending.since = ctx.world.control.now()
    ctx.pending = pending
    return holder


def test_the_login_code_does_not_count_as_the_verification_code(ctx: Ctx) -> None:
    holder = ctx.person("申请人")
    ctx.login_since = ctx.world.control.now()
    ctx.world.control.text(holder.mobile, "login", "123456")  # type: ignore[attr-defined]
    _start_carrier_check(ctx)
    with pytest.raises(AssertionError):
        code_sent(ctx, "申请人")


def test_a_code_sent_before_the_verification_started_does_not_count(ctx: Ctx) -> None:
    holder = ctx.person("申请人")
    ctx.world.control.text(holder.mobile, "verification", "222222")  # type: ignore[attr-defined]
    _start_carrier_check(ctx)
    with pytest.raises(AssertionError):
        code_sent(ctx, "申请人")
    no_code_sent(ctx)  # and "没有发送验证码" holds


def test_the_verification_code_sent_after_the_start_counts(ctx: Ctx) -> None:
    holder = _start_carrier_check(ctx)
    ctx.world.control.text(holder.mobile, "verification", "333333")  # type: ignore[attr-defined]
    code_sent(ctx, "申请人")
    with pytest.raises(AssertionError):
        no_code_sent(ctx)
