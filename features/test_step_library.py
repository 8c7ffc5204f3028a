"""The step library itself: 那么 steps must fail when what they claim did not happen. These
run without a world (a fake outbox), so each one shows a step that cannot lie."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from szca_steps.context import Ctx, Pending, method_for
from szca_steps.deadlines import BEIJING, HAND_TABLE, beijing_date, expected_deadline
from szca_steps.evidence import evidence
from szca_steps.then_steps import applicant_shown, code_sent, no_code_sent

from emulator.bdd import steps_catalogue
from emulator.bdd.gherkin_scan import scan_feature
from emulator.bdd.manual import (
    GUIDE_HEADINGS,
    MANUAL_CANDIDATES,
    agreement_checkboxes,
    as_published,
    customer_service,
    guide_sentence,
)
from emulator.bdd.personas import fresh_scenario
from emulator.bdd.world import BddWorld
from emulator.mock_providers.client import SMS_PURPOSES, ProviderControl
from emulator.mock_providers.sms.models import SmsMessage

FEATURES = Path(__file__).parent


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
    world = BddWorld(scenario, "http://127.0.0.1:9", FakeOutbox(), None, None, b"", None,  # type: ignore[arg-type]
                     "10.0.0.7")
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


# --- the deadline oracle --------------------------------------------------------------------
def test_the_hand_table_agrees_with_the_hand_written_calendar() -> None:
    for submitted, due in HAND_TABLE:
        moment = datetime.strptime(submitted, "%Y-%m-%d %H:%M").replace(tzinfo=BEIJING)
        assert expected_deadline(beijing_date(moment)) == (date.fromisoformat(due), False), \
            submitted


def test_the_feature_rows_are_hand_table_rows() -> None:
    rows = set(HAND_TABLE)
    outline = [s for s in scan_feature(FEATURES / "personal_manual.feature")
               if "节假日安排" in s.name]
    assert outline and outline[0].param_ids
    for param_id in outline[0].param_ids:
        submitted, due = param_id.rsplit("-", 3)[0], "-".join(param_id.rsplit("-", 3)[1:])
        assert (submitted, due) in rows, param_id


def test_beijing_date_is_not_the_utc_date() -> None:
    # 16:30 UTC on Thursday is 00:30 on Friday in Beijing: the day the deadline counts from
    assert beijing_date(datetime(2026, 11, 26, 16, 30, tzinfo=UTC)) == date(2026, 11, 27)
    assert beijing_date(datetime(2026, 11, 26, 16, 30)) == date(2026, 11, 27)  # naive = UTC


def test_past_the_known_years_the_deadline_is_an_estimate() -> None:
    assert expected_deadline(date(2026, 12, 31)) == (date(2027, 1, 6), True)  # 元旦 skipped
    assert expected_deadline(date(2026, 12, 30)) == (date(2027, 1, 5), True)
    assert expected_deadline(date(2026, 12, 28)) == (date(2026, 12, 31), False)


# --- PER-RT-5 核对姓名和身份证号码 ----------------------------------------------------------
class FakeOrders:
    def __init__(self, certificate: dict[str, Any]) -> None:
        self.certificate = certificate

    def get_order(self, order_no: str) -> dict[str, Any]:
        return {"order_no": order_no, "certificate": self.certificate}


@pytest.mark.parametrize("shown_id", ["**************0000", None, "440306199001011234"])
def test_the_applicant_check_compares_the_id_number_too(ctx: Ctx, shown_id: str | None) -> None:
    holder = ctx.person("申请人")
    if shown_id == "440306199001011234":  # the full number on screen: not what the page shows
        shown_id = holder.id_number
    ctx.client = FakeOrders({"holder_name": holder.name,  # type: ignore[assignment]
                             "holder_id_masked": shown_id})
    ctx.order_no = "JS1"
    with pytest.raises(AssertionError):
        applicant_shown(ctx)


def test_the_applicant_check_passes_on_the_right_masked_id(ctx: Ctx) -> None:
    holder = ctx.person("申请人")
    ctx.client = FakeOrders({"holder_name": holder.name,  # type: ignore[assignment]
                             "holder_id_masked": "*" * 14 + holder.id_number[-4:]})
    ctx.order_no = "JS1"
    applicant_shown(ctx)


# --- the manual's words -----------------------------------------------------------------------
def test_the_committed_manual_equals_the_workspace_seed() -> None:
    seeds = [p for p in MANUAL_CANDIDATES[:-1] if p.is_file()]
    if not seeds:
        pytest.skip("no workspace seed beside this checkout; docs/manual.zh.txt is the source")
    assert MANUAL_CANDIDATES[-1].read_text(encoding="utf-8") == \
        seeds[0].read_text(encoding="utf-8"), "copy the seed over docs/manual.zh.txt"


def test_the_manual_reader_finds_every_text_the_features_assert() -> None:
    assert [guide_sentence(h)[:7] for h in GUIDE_HEADINGS] == [
        "请仔细阅读网上", "输入证书序列号", "填写解锁信息并", "双击打开深圳C", "如果你同时为多"]
    assert guide_sentence("第三步").endswith("（如遇到控件拦截，需要全部运行控件）。")
    assert agreement_checkboxes() == ["我同意接受《电子认证服务协议》《个人信息授权书》",
                                      "我同意接受《敏感个人信息授权书》"]
    assert "公众号SZCA6688→【联系我们】→【在线客服】" in customer_service()["online"]


def test_published_text_is_full_width_and_repaired() -> None:
    assert as_published('点击下方"进入解锁"(如遇到控件拦截,需要全部运行控件)') == \
        "点击下方“进入解锁”（如遇到控件拦截，需要全部运行控件）"
    assert as_published("以免造成数据中突。") == "以免造成数据冲突。"
    assert as_published("登录深圳 CA 官网") == "登录深圳CA官网"


def test_the_step_catalogue_is_up_to_date() -> None:
    """docs/steps.md is what szca-bdd-steps generates from the step library and features."""
    assert steps_catalogue.main(["--check"]) == 0, "run szca-bdd-steps and commit docs/steps.md"


# --- a failing scenario's evidence ------------------------------------------------------------
def test_a_failing_scenario_reports_journal_outbox_and_history(ctx: Ctx) -> None:
    holder = ctx.person("申请人")
    ctx.world.control.text(holder.mobile, "login", "123456")  # type: ignore[attr-defined]
    ctx.world.control.journal = lambda **_: []  # type: ignore[method-assign]
    ctx.client = FakeOrders({"holder_name": holder.name})  # type: ignore[assignment]
    ctx.order_no = "JS1"
    shown = evidence(ctx)
    assert set(shown) == {"provider journal", "SMS outbox", "order history"}
    assert "您的登录验证码为123456" in shown["SMS outbox"]
    assert holder.mobile not in shown["SMS outbox"]  # the mobile is shown by its last 4 digits
    assert "unreadable" in shown["order history"]  # the fake order has no history: said so
