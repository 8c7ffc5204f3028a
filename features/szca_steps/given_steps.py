"""假如: the world, the user's locked U-KEYs, and preconditions reached by running the same
actions as the step-by-step scenarios."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from pytest_bdd import given, parsers

from emulator.bdd.personas import CERTIFICATE_BY_LABEL
from emulator.bdd.world import BddWorld
from emulator.personas import Person
from emulator.personas.generate import gender_of, person_name, resident_id, rng_for

from . import actions
from .context import ACTORS, Ctx, method_for
from .deadlines import BEIJING
from .driver import Driver


@pytest.fixture
def ctx(bdd_world: BddWorld, bdd_driver: Driver) -> Iterator[Ctx]:
    client = bdd_world.service_client()
    yield Ctx(bdd_world, client, bdd_driver)
    client.close()


@given("深圳CA网上营业厅和身份核验服务商均已就绪")
def world_is_up(ctx: Ctx) -> None:
    assert ctx.client.health()["status"] == "ok"
    ctx.world.control.journal()  # the control API answers


@given(parsers.re(r"现在是北京时间(?P<moment>\d{4}-\d{2}-\d{2} \d{2}:\d{2})"))
def clock_at(ctx: Ctx, moment: str) -> None:
    """The service's clock stands still at that Beijing time (@clock: in-process only)."""
    assert ctx.world.clock is not None, "@clock scenarios run in-process only"
    local = datetime.strptime(moment, "%Y-%m-%d %H:%M").replace(tzinfo=BEIJING)
    ctx.world.clock.now = local


@given(parsers.re(ACTORS + r'持有一把已锁定的"(?P<kind>[^"]+)"U-KEY'))
def holds_locked_key(ctx: Ctx, actor: str, kind: str) -> None:
    ctx.persona = ctx.world.scenario.certificate(CERTIFICATE_BY_LABEL[kind])
    ctx.key = ctx.world.locked_key(ctx.persona)
    ctx.keys = [ctx.key]


@given('经办人持有两把已锁定的"机构证书"U-KEY')
def holds_two_locked_keys(ctx: Ctx) -> None:
    second = ctx.world.locked_key(ctx.world.scenario.certificate("org2"))
    second.pull_out()  # one key at a time in the reader, as the manual asks
    ctx.persona = ctx.world.scenario.certificate("org")
    ctx.key = ctx.world.locked_key(ctx.persona)
    ctx.keys = [ctx.key, second]


@given(parsers.re(ACTORS + r"已登录网上营业厅"))
def logged_in(ctx: Ctx, actor: str) -> None:
    actions.login(ctx, actor)


@given(parsers.re(ACTORS + r"已登录网上营业厅并同意全部服务协议"))
def logged_in_and_agreed(ctx: Ctx, actor: str) -> None:
    actions.login(ctx, actor)
    assert actions.accept_agreements(ctx).ok, ctx.attempt


@given(parsers.re(ACTORS + r'已输入证书序列号并选择"(?P<mode>实时解锁|人工审核解锁)"'))
def order_opened(ctx: Ctx, actor: str, mode: str) -> None:
    assert ctx.persona is not None
    assert actions.look_up(ctx, ctx.persona.serial_hex).ok, ctx.attempt
    assert actions.open_order(ctx, mode).ok, ctx.attempt


@given("经办人已核对单位信息并补充法人姓名和身份证号码")
def org_info_confirmed(ctx: Ctx) -> None:
    assert actions.confirm_org_info(ctx).ok, ctx.attempt


def _reach_org_info_confirmed(ctx: Ctx) -> None:
    logged_in_and_agreed(ctx, "经办人")
    order_opened(ctx, "经办人", "实时解锁")
    org_info_confirmed(ctx)


def _reach_enterprise_step(ctx: Ctx) -> None:
    _reach_org_info_confirmed(ctx)
    actions.complete_verification(ctx, method_for("手机实名", "经办人"))
    assert actions.confirm_letter(ctx).ok, ctx.attempt


@given("经办人已完成单位信息核对")
def reached_operator_step(ctx: Ctx) -> None:
    _reach_org_info_confirmed(ctx)


@given("经办人已完成经办人身份认证并确认单位授权委托书")
def reached_enterprise_step(ctx: Ctx) -> None:
    _reach_enterprise_step(ctx)


@given(parsers.re(r'申请人已完成"(?P<label>[^"]+)"本人身份认证'))
def applicant_verified(ctx: Ctx, label: str) -> None:
    logged_in_and_agreed(ctx, "申请人")
    order_opened(ctx, "申请人", "实时解锁")
    actions.complete_verification(ctx, method_for(label, "申请人"))


@given(parsers.re(ACTORS + r'已进入"(?P<label>[^"]+)"身份认证步骤'))
def reached_step_of(ctx: Ctx, actor: str, label: str) -> None:
    method = method_for(label, actor)
    ctx.reached = method
    if method.step == "identity":
        logged_in_and_agreed(ctx, actor)
        order_opened(ctx, actor, "实时解锁")
    elif method.step == "operator":
        _reach_org_info_confirmed(ctx)
    else:
        _reach_enterprise_step(ctx)


@given("经办人已为第一把U-KEY完成实时解锁认证")
def first_key_verified(ctx: Ctx) -> None:
    _reach_enterprise_step(ctx)
    actions.complete_verification(ctx, method_for("法人手机实名", "经办人"))
    assert ctx.order()["state"] == "verified"


def _checked_mobile_owner(ctx: Ctx) -> Person:
    assert ctx.reached is not None, "which verification step? (已进入…身份认证步骤 first)"
    return ctx.person(ctx.reached.role)


@given("运营商登记的该手机号码实名信息与填写的姓名和身份证号码不一致")
def carrier_records_differ(ctx: Ctx) -> None:
    """The carrier's register holds the mobile under somebody else's name and ID number."""
    owner = _checked_mobile_owner(ctx)
    rng = rng_for(ctx.world.scenario.seed, "carrier_register", owner.key)
    gender = gender_of(owner.id_number)
    other = {"name": person_name(rng, gender), "id_number": resident_id(rng, gender),
             "mobile": owner.mobile}
    assert (other["name"], other["id_number"]) != (owner.name, owner.id_number)
    ctx.world.control.seed({"carrier": [other]})


@given("运营商实名核验服务暂时无法应答")
def carrier_is_down(ctx: Ctx) -> None:
    # Every retry of the product's client fails too: the outage outlasts the request. Only
    # calls about this scenario's mobile fail (a deployment serves other scenarios meanwhile).
    ctx.world.control.fault("carrier", "http_5xx", action="PhoneVerification", count=10,
                            mobile=_checked_mobile_owner(ctx).mobile)
