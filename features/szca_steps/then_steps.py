"""那么: what the user sees and what really happened — the card (through the reader), the
order, the SMS outbox and the providers' journal."""

from __future__ import annotations

import base64
import re

from pytest_bdd import parsers, then

from emulator.bdd.personas import CERTIFICATE_BY_LABEL
from emulator.mock_providers.sms.models import SmsMessage
from emulator.testing.keys import ReaderKey
from szca_unlock.domain.certificates import CertificateStatus

from .context import ACTORS, NEW_PIN, Ctx, answer_of, body_of, method_for
from .refusals import assert_refusal

_ORDINAL = {"第一": 0, "第二": 1}
_MODES = {"实时解锁": "realtime", "人工审核解锁": "manual"}
_CODE_SMS = re.compile(r"验证码为\d{6}")


@then(parsers.re(r"系统提示(?P<what>[^\"]+)"))
def refused_with(ctx: Ctx, what: str) -> None:
    assert_refusal(ctx, what)


@then(parsers.re(r'页面显示深圳CA客服热线"(?P<hotline>[^"]+)"和官网"(?P<site>[^"]+)"'))
def service_contact_shown(ctx: Ctx, hotline: str, site: str) -> None:
    assert ctx.attempt is not None and not ctx.attempt.ok, ctx.attempt
    shown = ctx.attempt.text()
    assert hotline in shown and site in shown, shown


@then("提示登录手机号码对应的电信运营商APP核对实名信息,如不符先联系运营商")
def carrier_app_hint(ctx: Ctx) -> None:
    assert ctx.attempt is not None
    shown = ctx.attempt.text()
    carrier = "(电信运营商|运营商|中国移动|中国联通|中国电信)"
    assert re.search(carrier + "(?i:app)", shown), shown
    assert re.search("联系" + carrier, shown), shown


# --- the card, through the reader ------------------------------------------------------
def _assert_locked(key: ReaderKey) -> None:
    was_out = key.reader is None
    key.insert()  # the user plugs it in to look
    try:
        assert key.pin_status().blocked, f"U-KEY {key.serial} is not locked"
    finally:
        if was_out:
            key.pull_out()


def _assert_unlocked(key: ReaderKey) -> None:
    status = key.pin_status()
    assert not status.blocked, status
    assert status.tries_left == status.max_tries, status
    key.verify_and_sign(NEW_PIN)


@then("U-KEY仍处于锁定状态")
def still_locked(ctx: Ctx) -> None:
    assert ctx.key is not None
    _assert_locked(ctx.key)


@then("两把U-KEY均仍处于锁定状态")
def both_locked(ctx: Ctx) -> None:
    for key in ctx.keys:
        _assert_locked(key)


@then(parsers.re(r"(?P<which>第一|第二)把U-KEY仍处于锁定状态"))
def nth_locked(ctx: Ctx, which: str) -> None:
    _assert_locked(ctx.keys[_ORDINAL[which]])


@then("U-KEY已解锁且新密码可以通过读卡器验证")
def unlocked(ctx: Ctx) -> None:
    assert ctx.key is not None
    _assert_unlocked(ctx.key)


@then(parsers.re(r"(?P<which>第一|第二)把U-KEY已解锁且新密码可以通过读卡器验证"))
def nth_unlocked(ctx: Ctx, which: str) -> None:
    key = ctx.keys[_ORDINAL[which]]
    assert key.reader is not None, "the U-KEY to check is not inserted"
    _assert_unlocked(key)


# --- the order -------------------------------------------------------------------------
@then(parsers.re(r'业务单状态为"(?P<label>[^"]+)"'))
def order_state(ctx: Ctx, label: str) -> None:
    shown = ctx.driver.order_state_label(ctx)
    assert shown == label, (shown, ctx.order()["state"])


@then(parsers.re(r'业务单的解锁方式为"(?P<mode>[^"]+)"'))
def order_mode(ctx: Ctx, mode: str) -> None:
    assert ctx.order()["mode"] == _MODES[mode]


@then(parsers.re(ACTORS + r"的我的业务单中(?P<has>有|没有)(?:该)?业务单"))
def my_orders(ctx: Ctx, actor: str, has: str) -> None:
    orders = body_of(ctx.client.list_orders())["orders"]
    if has == "没有":
        assert orders == [], orders
    else:
        assert ctx.order_no in [o["order_no"] for o in orders], orders


@then(parsers.re(r'经办人的我的业务单中有(?P<n>\d+)张"(?P<label>[^"]+)"的业务单'))
def my_orders_in_state(ctx: Ctx, n: str, label: str) -> None:
    orders = body_of(ctx.client.list_orders())["orders"]
    assert [o["state_label"] for o in orders].count(label) == int(n), orders


# --- what the pages show ------------------------------------------------------------------
@then(parsers.re(ACTORS + r"已登录网上营业厅"))
def is_logged_in(ctx: Ctx, actor: str) -> None:
    me = body_of(ctx.client.me())
    assert me["role"] == "applicant"
    assert me["mobile_masked"].endswith(ctx.person(actor).mobile[-4:]), me


@then(parsers.re(ACTORS + r"未登录网上营业厅"))
def is_not_logged_in(ctx: Ctx, actor: str) -> None:
    assert not ctx.client.token
    assert answer_of(ctx.client.me).status == 401


@then("系统显示需解锁的证书信息与U-KEY中的证书一致")
def certificate_shown(ctx: Ctx) -> None:
    assert ctx.attempt is not None and ctx.attempt.ok, ctx.attempt
    assert ctx.key is not None and ctx.persona is not None
    shown, on_card = ctx.attempt.body, ctx.key.certificate()
    assert int(shown["serial"], 16) == on_card.serial_number
    # The lookup masks a person's name (吴泽萍 → 吴*萍); an organisation's name is shown.
    name = ctx.persona.common_name
    if ctx.persona.holder is not None:
        name = name[0] + "*" * (len(name) - 2) + name[-1] if len(name) > 2 else name[0] + "*"
    assert f"CN={name}" in shown["subject_dn"], shown
    assert shown["status_label"] == CertificateStatus.VALID.label, shown  # as the page says it
    kind = next(k for k, v in CERTIFICATE_BY_LABEL.items() if v == ctx.persona.key)
    medical = kind.startswith("医疗类")  # the page says 自然人证书（医疗类）
    assert shown["type_label"] == (f"{kind.removeprefix('医疗类')}（医疗类）" if medical
                                   else kind), shown


@then("页面显示的机构名称和统一社会信用代码与证书一致")
def organisation_shown(ctx: Ctx) -> None:
    assert ctx.order_no
    shown = body_of(ctx.client.organisation(ctx.order_no))
    assert (shown["name"], shown["uscc"]) == (ctx.company.name, ctx.company.uscc), shown


@then("页面显示的申请人姓名和身份证号码与证书一致")
def applicant_shown(ctx: Ctx) -> None:
    certificate, holder = ctx.order()["certificate"], ctx.person("申请人")
    assert certificate["holder_name"] == holder.name, certificate
    shown = certificate.get("holder_id_masked") or ""
    # the page shows the ID masked: same length, the holder's last 4 digits, the rest hidden
    assert len(shown) == len(holder.id_number) and shown[-4:] == holder.id_number[-4:], shown
    assert set(shown[:-4]) == {"*"}, shown


@then("单位授权委托书载明委托单位、统一社会信用代码和经办人的姓名、身份证号、手机号")
def letter_shown(ctx: Ctx) -> None:
    assert ctx.attempt is not None and ctx.attempt.ok, ctx.attempt
    values = {f["label"]: f["value"] for f in ctx.attempt.body["fields"]}
    operator = ctx.company.operator
    assert values["委托单位"] == ctx.company.name
    assert values["统一社会信用代码"] == ctx.company.uscc
    assert values["经办人姓名"] == operator.name
    assert values["身份证号"][-4:] == operator.id_number[-4:]
    assert operator.id_number not in str(ctx.attempt.body), "the full ID number is shown"
    assert values["手机号"][-4:] == operator.mobile[-4:]
    text = "".join(ctx.attempt.body["paragraphs"])
    assert "授权" in text and ctx.company.name in text + values["委托单位"], text


@then("页面显示供微信扫一扫的二维码")
def face_qr_shown(ctx: Ctx) -> None:
    assert ctx.pending is not None
    face = ctx.pending.answer["verification"]["face"]
    assert face["url"].startswith("http"), face
    assert base64.b64decode(face["qr_png_base64"]).startswith(b"\x89PNG"), "not a PNG"
    # after the check WeChat returns the user to this service, never to the production site
    asked = [e for e in ctx.world.journal(provider="face", action="DetectAuth")
             if isinstance(e.request, dict) and "RedirectUrl" in e.request]
    assert asked, "the face provider was not asked"
    redirect = str(asked[-1].request["RedirectUrl"])
    assert redirect.startswith(ctx.world.base_url), redirect


@then(parsers.re(r'页面显示"恭喜！审核已通过"、业务单号、证书主题和证书类型"(?P<kind>[^"]+)"'))
def result_screen(ctx: Ctx, kind: str) -> None:
    screen = ctx.driver.result_screen(ctx)
    assert screen["title"] == "恭喜！审核已通过"
    assert screen["order_no"] == ctx.order_no
    assert screen["certificate_type"] == kind
    assert ctx.persona is not None and ctx.persona.common_name in screen["subject_dn"]


@then('"获取验证码"按钮显示59秒倒计时')
def countdown(ctx: Ctx) -> None:
    shown = ctx.driver.countdown_seconds(ctx)
    assert 55 <= shown <= 59, f"获取验证码 shows {shown}s"  # 59s when sent; a step later


# --- the SMS outbox ----------------------------------------------------------------------
def _codes_sent(ctx: Ctx, mobile: str) -> list[SmsMessage]:
    """Codes texted to ``mobile`` for what the user is doing now: the verification in
    progress (sent since it started), else the login (sent since the code was asked for)."""
    control = ctx.world.control
    if ctx.pending is not None:
        return control.sms_messages(mobile, after=ctx.pending.since, purpose="verification")
    assert ctx.login_since is not None, "no SMS code was asked for in this scenario"
    return control.sms_messages(mobile, after=ctx.login_since, purpose="login")


def _assert_code_sent(ctx: Ctx, mobile: str) -> None:
    messages = _codes_sent(ctx, mobile)
    assert messages and _CODE_SMS.search(messages[0].text), \
        f"no code sent to …{mobile[-4:]} for this step; its SMS: {ctx.world.outbox(mobile)}"
    assert messages[0].sign_name == "深圳CA", messages[0]


@then(parsers.re(ACTORS + r"的手机收到深圳CA发送的验证码"))
def code_sent(ctx: Ctx, actor: str) -> None:
    _assert_code_sent(ctx, ctx.person(actor).mobile)
    if ctx.pending is not None and ctx.pending.mobile:
        assert ctx.pending.mobile == ctx.person(actor).mobile


@then(parsers.re(ACTORS + r"在银行预留的手机收到深圳CA发送的验证码"))
def code_sent_to_bank_mobile(ctx: Ctx, actor: str) -> None:
    person = ctx.person(actor)
    # Otherwise the step could not tell the two mobiles apart (the cast gives each bank
    # customer a reserved mobile of its own).
    assert person.reserved_mobile != person.mobile, f"{person}: reserved mobile = real-name one"
    _assert_code_sent(ctx, person.reserved_mobile)
    assert _codes_sent(ctx, person.mobile) == [], "the code went to the real-name mobile"


@then(parsers.re(r"(?:该手机号码没有收到验证码|没有发送验证码)"))
def no_code_sent(ctx: Ctx) -> None:
    assert ctx.pending is not None and ctx.pending.mobile
    codes = _codes_sent(ctx, ctx.pending.mobile)
    assert codes == [], codes


# --- the providers' journal ----------------------------------------------------------------
def _entries(ctx: Ctx, actor: str, label: str):
    method = method_for(label, actor)
    if method.provider == "deposit":
        return ctx.world.journal(provider="deposit")
    return ctx.world.journal(provider=method.provider,
                             id_number=ctx.person(method.role).id_number)


@then(parsers.re(r"服务商流水记录了" + ACTORS + r'的"(?P<label>[^"]+)"核验'))
def journal_has_check(ctx: Ctx, actor: str, label: str) -> None:
    entries = _entries(ctx, actor, label)
    assert entries and all(e.status is not None and e.status < 300 for e in entries), \
        [str(e) for e in entries]


@then(parsers.re(r"服务商流水记录了" + ACTORS + r'的"(?P<label>[^"]+)"核验结果为不一致'))
def journal_has_mismatch(ctx: Ctx, actor: str, label: str) -> None:
    entries = _entries(ctx, actor, label)
    assert entries, "the provider was not asked"
    assert any("不一致" in str(e.response) or "mismatch" in str(e.response).lower()
               for e in entries), [str(e) for e in entries]


@then("服务商流水记录了运营商实名核验结果为不一致")
def journal_carrier_mismatch(ctx: Ctx) -> None:
    entries = ctx.world.journal(provider="carrier")
    assert entries, "the carrier was not asked"
    assert any("不一致" in str(e.response) for e in entries), [str(e) for e in entries]


@then("深圳CA向企业对公账户转账0.01元并在备注中附随机码")
def deposit_made(ctx: Ctx) -> None:
    entries = [e for e in ctx.world.control.deposit_statement(ctx.company.account.account_no)
               if e.reference == ctx.order_no]
    assert len(entries) == 1, f"transfers for order {ctx.order_no}: {entries}"
    assert entries[0].amount == "0.01", entries[0]
    assert entries[0].payer.startswith("深圳市电子商务安全证书"), entries[0]
    assert re.fullmatch(r"\d{6}", entries[0].remark), entries[0]


@then(parsers.re(r"对公账户流水中有(?P<n>\d+)笔深圳CA的打款,每个业务单各一笔"))
def deposits_per_order(ctx: Ctx, n: str) -> None:
    entries = ctx.world.control.deposit_statement(ctx.company.account.account_no)
    orders = [o["order_no"] for o in body_of(ctx.client.list_orders())["orders"]]
    assert len(entries) == int(n), entries
    assert sorted(e.reference or "" for e in entries) == sorted(orders), (entries, orders)
