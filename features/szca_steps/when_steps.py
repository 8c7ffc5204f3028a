"""当: what the user does on the pages of the online service hall and with the U-KEY."""

from __future__ import annotations

from pytest_bdd import parsers, when

from emulator.personas.generate import mobile as make_mobile
from emulator.personas.generate import rng_for

from . import actions
from .context import ACTORS, NEW_PIN, Ctx, method_for
from .manual_steps import operator_face
from .manual_texts import assert_guide_as_in_manual

_ORDINAL = {"第一": 0, "第二": 1}


def _wrong(code: str) -> str:
    """A 6-digit code that is certainly not ``code``."""
    return f"{(int(code) + 1) % 1_000_000:06d}"


def _other_mobile(ctx: Ctx, *avoid: str) -> str:
    candidate = make_mobile(rng_for(ctx.world.scenario.seed, "other-mobile"))
    return candidate if candidate not in avoid else make_mobile(rng_for(0, *avoid))


# --- C-1 login -------------------------------------------------------------------
@when(parsers.re(ACTORS + r"使用手机号码获取短信验证码"))
def request_code(ctx: Ctx, actor: str) -> None:
    actions.request_login_code(ctx, ctx.person(actor).mobile)


@when(parsers.re(ACTORS + r"输入收到的验证码登录网上营业厅"))
def login_with_code(ctx: Ctx, actor: str) -> None:
    mobile = ctx.person(actor).mobile
    actions.login_with(ctx, mobile, actions.latest_code(ctx, mobile))


@when(parsers.re(ACTORS + r"输入错误的验证码登录网上营业厅"))
def login_with_wrong_code(ctx: Ctx, actor: str) -> None:
    mobile = ctx.person(actor).mobile
    actions.login_with(ctx, mobile, _wrong(actions.latest_code(ctx, mobile)))


@when(parsers.re(r"5分钟后" + ACTORS + r"才输入收到的验证码登录网上营业厅"))
def login_with_expired_code(ctx: Ctx, actor: str) -> None:
    actions.expire_codes(ctx)
    login_with_code(ctx, actor)


# --- *-2 guide and agreements, *-3 certificate, *-4 mode -----------------------------
@when(parsers.re(ACTORS + r'阅读解锁指南并勾选全部服务协议后点击"进入解锁"'))
def accept_all(ctx: Ctx, actor: str) -> None:
    """What the page shows first is the manual's guide and its two ticks (*-2)."""
    assert_guide_as_in_manual(ctx)
    assert actions.accept_agreements(ctx).ok, ctx.attempt


@when(parsers.re(ACTORS + r'只勾选"(?P<label>我同意接受[^"]+)"就点击"进入解锁"'))
def accept_only(ctx: Ctx, actor: str, label: str) -> None:
    labels = ctx.driver.checkbox_labels(ctx)
    assert label in labels, labels
    actions.accept_agreements(ctx, boxes=(labels.index(label),))


@when(parsers.re(ACTORS + r'输入证书序列号并点击"提交"'))
def type_serial(ctx: Ctx, actor: str) -> None:
    assert ctx.persona is not None
    actions.look_up(ctx, ctx.persona.serial_hex)


@when(parsers.re(ACTORS + r'输入一个不存在的证书序列号并点击"提交"'))
def type_unknown_serial(ctx: Ctx, actor: str) -> None:
    assert ctx.persona is not None
    actions.look_up(ctx, "7" + ctx.persona.serial_hex[1:][::-1])


@when(parsers.re(ACTORS + r'选择"(?P<mode>实时解锁|人工审核解锁)"'))
def choose_mode(ctx: Ctx, actor: str, mode: str) -> None:
    actions.open_order(ctx, mode)


# --- ORG-RT-5, ORG-RT-7 --------------------------------------------------------------
@when("经办人核对单位信息并补充法人姓名和身份证号码")
def confirm_org(ctx: Ctx) -> None:
    assert ctx.order_no
    ctx.client.organisation(ctx.order_no)
    assert actions.confirm_org_info(ctx).ok, ctx.attempt


@when("经办人补充的法人身份证号码与登记信息不一致")
def confirm_org_wrong_id(ctx: Ctx) -> None:
    actions.confirm_org_info(ctx, id_number=ctx.company.operator.id_number)


@when("经办人查看单位授权委托书")
def view_letter(ctx: Ctx) -> None:
    actions.view_letter(ctx)


@when("经办人确认单位授权委托书")
def confirm_letter(ctx: Ctx) -> None:
    assert actions.confirm_letter(ctx).ok, ctx.attempt


# --- verifications (ORG-RT-6, ORG-RT-8, PER-RT-5) -------------------------------------
@when(parsers.re(ACTORS + r'选择"(?P<label>[^"]+)"验证'))
def choose_method(ctx: Ctx, actor: str, label: str) -> None:
    actions.start_verification(ctx, method_for(label, actor))


@when(parsers.re(ACTORS + r'选择"(?P<label>[^"]+)"验证但填写的手机号码不是银行预留手机号码'))
def choose_bank_with_other_mobile(ctx: Ctx, actor: str, label: str) -> None:
    method = method_for(label, actor)
    person = ctx.person(method.role)
    mobile = _other_mobile(ctx, person.reserved_mobile)
    actions.start_verification(ctx, method, mobile=mobile)


@when(r'申请人以他人的姓名和身份证号码选择"手机实名认证"验证')
def choose_with_someone_else(ctx: Ctx) -> None:
    other = ctx.world.scenario.people["legal_rep"]
    actions.start_verification(ctx, method_for("手机实名认证", "申请人"), name=other.name,
                               id_number=other.id_number, mobile=other.mobile)


@when(parsers.re(ACTORS + r'联系运营商更正实名信息后再次选择"(?P<label>[^"]+)"验证'))
def choose_again(ctx: Ctx, actor: str, label: str) -> None:
    method = method_for(label, actor)
    person = ctx.person(method.role)  # the carrier's register now says what the person types
    ctx.world.control.seed({"carrier": [{"name": person.name, "id_number": person.id_number,
                                         "mobile": person.mobile}]})
    assert actions.start_verification(ctx, method).ok, ctx.attempt


@when(parsers.re(ACTORS + r"输入(?:收到的|法人手机收到的)验证码"))
def enter_received_code(ctx: Ctx, actor: str) -> None:
    actions.enter_code(ctx, actions.sms_code_of_pending(ctx))


@when(parsers.re(ACTORS + r"输入错误的验证码"))
def enter_wrong_code(ctx: Ctx, actor: str) -> None:
    actions.enter_code(ctx, _wrong(actions.sms_code_of_pending(ctx)))


@when(parsers.re(ACTORS + r"连续(?P<times>\d+)次输入错误的验证码"))
def enter_wrong_code_times(ctx: Ctx, actor: str, times: str) -> None:
    wrong = _wrong(actions.sms_code_of_pending(ctx))
    for _ in range(int(times)):
        actions.enter_code(ctx, wrong)


@when(parsers.re(r"5分钟后" + ACTORS + r"才输入收到的验证码"))
def enter_expired_code(ctx: Ctx, actor: str) -> None:
    code = actions.sms_code_of_pending(ctx)
    actions.expire_codes(ctx)
    actions.enter_code(ctx, code)


@when(parsers.re(ACTORS + r'在倒计时结束前再次点击"获取验证码"'))
def resend_too_soon(ctx: Ctx, actor: str) -> None:
    actions.resend_code(ctx)


def _scan(ctx: Ctx, outcome: str) -> None:
    if ctx.pending is None:  # manual review: the operator's own check (ORG-MR-8)
        operator_face(ctx, outcome)
    else:
        actions.scan_face(ctx, outcome)


@when(parsers.re(ACTORS + r"使用微信扫一扫完成活体认证"))
def face_pass(ctx: Ctx, actor: str) -> None:
    _scan(ctx, "pass")


@when(parsers.re(ACTORS + r"使用微信扫一扫但活体认证未通过"))
def face_fail(ctx: Ctx, actor: str) -> None:
    _scan(ctx, "liveness_fail")


@when("财务将对公账户流水备注中的随机码告知经办人")
def finance_reads_remark(ctx: Ctx) -> None:
    ctx.deposit_code = actions.deposit_code(ctx)


@when("经办人输入打款备注中的随机码")
def enter_remark_code(ctx: Ctx) -> None:
    assert ctx.deposit_code, "finance has not read the remark yet"
    actions.enter_code(ctx, ctx.deposit_code)


@when("经办人输入错误的打款随机码")
def enter_wrong_remark_code(ctx: Ctx) -> None:
    actions.enter_code(ctx, _wrong(actions.deposit_code(ctx)))


@when(parsers.re(ACTORS + r'以"(?P<label>[^"]+)"完成(?:经办人|本人|企业)身份认证'))
def complete_method(ctx: Ctx, actor: str, label: str) -> None:
    actions.complete_verification(ctx, method_for(label, actor))


# --- C-5 立即解锁, C-6 keys -------------------------------------------------------------
@when(parsers.re(ACTORS + r'点击"立即解锁"并设置新密码'))
def press_unlock(ctx: Ctx, actor: str) -> None:
    actions.unlock(ctx)


@when(parsers.re(ACTORS + r'点击"立即解锁"并将新密码设置为"(?P<pin>[^"]*)"'))
def press_unlock_with(ctx: Ctx, actor: str, pin: str) -> None:
    actions.unlock(ctx, pin)


@when(parsers.re(r'经办人为(?P<which>第一|第二)把U-KEY以"(?P<operator>[^"]+)"和'
                 r'"(?P<enterprise>[^"]+)"完成机构证书实时解锁'))
def full_org_unlock(ctx: Ctx, which: str, operator: str, enterprise: str) -> None:
    key = ctx.keys[_ORDINAL[which]]
    assert key.reader is not None, "that U-KEY is not inserted"
    ctx.key, ctx.persona = key, key.persona
    assert actions.look_up(ctx, key.persona.serial_hex).ok, ctx.attempt
    assert actions.open_order(ctx, "实时解锁").ok, ctx.attempt
    assert actions.confirm_org_info(ctx).ok, ctx.attempt
    actions.complete_verification(ctx, method_for(operator, "经办人"))
    assert actions.confirm_letter(ctx).ok, ctx.attempt
    actions.complete_verification(ctx, method_for(enterprise, "经办人"))
    answer = actions.unlock(ctx, NEW_PIN)
    assert answer.ok and answer.body["state"] == "completed", answer


@when(parsers.re(r"经办人(?P<refresh>刷新网页后)?拔出(?P<out>第一|第二)把U-KEY并"
                 r"(?:插入|插回)(?P<into>第一|第二)把U-KEY"))
def swap_keys(ctx: Ctx, refresh: str | None, out: str, into: str) -> None:
    if refresh:
        actions.refresh(ctx)
    ctx.keys[_ORDINAL[out]].pull_out()
    new = ctx.keys[_ORDINAL[into]]
    new.insert()
    ctx.key = new
    if refresh and ctx.order_no and ctx.order()["state"] == "completed":
        ctx.order_no, ctx.persona = None, new.persona  # a new flow for the other certificate
