"""The real-time flows as a user goes through them, over ``ServiceClient``: what the CLI
runs, printing each step as the page would show it. Questions and output go through a
``Prompter`` so scripts and tests can answer for the user."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Protocol

from szca_unlock.api.errors import ApiError
from szca_unlock.api.orders import OrderView
from szca_unlock.api.verifications import VerificationView
from szca_unlock.client.service import ServiceClient
from szca_unlock.domain.verification_methods import Check, Method, Proof
from szca_unlock.ukey import UnlockAgent, UnlockResult
from szca_unlock.ukey.base import UKeyDriver
from szca_unlock.ukey.receipts import ReceiptStore


class Prompter(Protocol):
    def say(self, text: str) -> None: ...

    def ask(self, label: str, *, secret: bool = False) -> str: ...


@dataclass
class PersonAnswers:
    """What the user types for one person; ``None`` fields are asked interactively."""

    name: str | None = None
    id_number: str | None = None
    mobile: str | None = None
    bank_card: str | None = None


@dataclass
class RealtimeChoices:
    operator_method: str = "carrier"
    enterprise_method: str = "legal_face"
    identity_method: str = "face"
    operator: PersonAnswers = field(default_factory=PersonAnswers)
    legal_rep: PersonAnswers = field(default_factory=PersonAnswers)
    applicant: PersonAnswers = field(default_factory=PersonAnswers)
    bank_name: str | None = None
    branch_name: str | None = None
    account_number: str | None = None
    face_timeout_s: float = 600.0
    poll_interval_s: float = 2.0


# What the CLI asks for each field a check needs (domain.verification_methods).
_FIELD_LABELS = {"bank_card": "银行卡号", "bank_name": "开户银行", "branch_name": "开户支行",
                 "account_number": "对公账号"}
_MOBILE_LABELS = {Check.BANK: "银行预留手机号", Check.CARRIER: "{who}实名手机号"}


def _value(io: Prompter, given: str | None, label: str) -> str:
    return given if given else io.ask(label)


def _progress(io: Prompter, order: OrderView) -> None:
    if order.progress:
        bar = " → ".join(f"[{s}]" if i == order.progress.current else s
                         for i, s in enumerate(order.progress.steps))
        io.say(f"进度：{bar}")


def _ask_person(io: Prompter, who: str, given: PersonAnswers, method: str) -> dict[str, str]:
    answers = {"name": _value(io, given.name, f"{who}姓名"),
               "id_number": _value(io, given.id_number, f"{who}身份证号")}
    check = Method(method).check
    for name in check.fields:
        if name == "mobile":
            answers[name] = _value(io, given.mobile, _MOBILE_LABELS[check].format(who=who))
        elif name == "bank_card":
            answers[name] = _value(io, given.bank_card, _FIELD_LABELS[name])
    return answers


def _wait_face(client: ServiceClient, io: Prompter, order_no: str, step: str,
               choices: RealtimeChoices) -> VerificationView:
    deadline = time.monotonic() + choices.face_timeout_s
    while True:
        outcome = client.verification(order_no, step).verification
        if outcome.status != "pending" or time.monotonic() > deadline:
            return outcome
        time.sleep(choices.poll_interval_s)


def _enter_codes(client: ServiceClient, io: Prompter, order_no: str, step: str,
                 label: str) -> VerificationView:
    """Ask for the code until it passes; a wrong code shows the tries left."""
    while True:
        code = io.ask(label)
        try:
            return client.submit_code(order_no, step, code).verification
        except ApiError as error:
            io.say(str(error))
            if error.code not in ("otp.mismatch", "provider.deposit.code_mismatch"):
                raise


def verify_step(client: ServiceClient, io: Prompter, order_no: str, step: str, method: str,
                person: dict[str, str], choices: RealtimeChoices,
                **extra: str | None) -> VerificationView:
    started = client.start_verification(order_no, step, method, person["name"],
                                        person["id_number"],
                                        **{**{k: v for k, v in person.items()
                                              if k not in ("name", "id_number")}, **extra})
    view = started.verification
    io.say(f"{view.method_label}:{view.message}")
    proof = Method(method).check.proof
    if proof is Proof.FACE:
        io.say(f"请用微信扫一扫打开：{view.face.url if view.face else ''}")
        view = _wait_face(client, io, order_no, step, choices)
    elif proof is Proof.REMARK_CODE:
        view = _enter_codes(client, io, order_no, step, "请输入打款备注中的6位随机码")
    elif proof is Proof.SMS_CODE:
        view = _enter_codes(client, io, order_no, step, "请输入短信验证码")
    io.say(view.message)
    if view.status != "passed":
        raise ApiError(400, "verification_failed", view.message)
    return view


def run_realtime(client: ServiceClient, io: Prompter, serial: str,
                 choices: RealtimeChoices) -> OrderView:
    """C-2 .. C-4 for a real-time unlock, ending on the 审核已通过 screen."""
    cert = client.lookup_certificate(serial)
    io.say(f"证书：{cert.subject_dn}")
    io.say(f"证书类型：{cert.type_label}  持有者：{cert.holder_name}  "
           f"有效期：{cert.not_before:%Y-%m-%d} 至 {cert.not_after:%Y-%m-%d}")
    order = client.create_order(serial, "realtime")
    io.say(f"已创建业务单 {order.order_no}（实时解锁）")
    return _carry_on(client, io, order, choices)


# The states a real-time order can be carried on from, and the states left to go through.
_RESUMABLE = ("draft", "org_info_confirmed", "operator_verified", "authorization_confirmed")


def continue_realtime(client: ServiceClient, io: Prompter, order_no: str,
                      choices: RealtimeChoices) -> OrderView:
    """Carry an open real-time order on from where it stopped (szca continue)."""
    order = client.get_order(order_no)
    if order.mode != "realtime":
        raise ApiError(409, "order.not_realtime",
                       f"业务单{order_no}为{order.mode_label}，请按页面提示填写并上传资料")
    if order.state == "verified":
        io.say(f"业务单{order_no}已认证通过，请插入U-KEY运行 szca key-unlock {order_no}")
        return order
    if order.state not in _RESUMABLE:
        raise ApiError(409, "order.not_open",
                       f"业务单{order_no}当前状态为「{order.state_label}」，无法继续办理")
    io.say(f"继续办理业务单{order_no}（当前：{order.state_label}）")
    return _carry_on(client, io, order, choices)


def _carry_on(client: ServiceClient, io: Prompter, order: OrderView,
              choices: RealtimeChoices) -> OrderView:
    _progress(io, order)
    if order.certificate.kind == "org":
        _run_org(client, io, order.order_no, choices, order.state)
    else:
        applicant = _ask_person(io, "申请人", choices.applicant, choices.identity_method)
        verify_step(client, io, order.order_no, "identity", choices.identity_method,
                    applicant, choices)
    screen = client.result_screen(order.order_no)
    io.say(f"{screen.title} 业务单号：{screen.order_no}")
    io.say(f"证书主题：{screen.subject_dn}  证书类型：{screen.certificate_type}")
    io.say(f"请插入该证书的U-KEY，运行 szca key-unlock {screen.order_no} {screen.action}")
    return client.get_order(order.order_no)


def _run_org(client: ServiceClient, io: Prompter, order_no: str,
             choices: RealtimeChoices, state: str = "draft") -> None:
    """ORG-RT-5 .. ORG-RT-8 from ``state`` on (the steps already done are skipped)."""
    done = _RESUMABLE.index(state)
    legal = choices.legal_rep
    legal_name = _value(io, legal.name, "法人姓名")
    legal_id = _value(io, legal.id_number, "法人身份证号")
    if done < 1:
        org = client.organisation(order_no)
        io.say(f"单位名称：{org.name}  统一社会信用代码：{org.uscc}")
        _progress(io, client.confirm_organisation(order_no, legal_name, legal_id))
    if done < 2:
        operator = _ask_person(io, "经办人", choices.operator, choices.operator_method)
        verify_step(client, io, order_no, "operator", choices.operator_method, operator,
                    choices)
    if done < 3:
        letter = client.authorization_letter(order_no)
        io.say(letter.title)
        for item in letter.fields:
            io.say(f"  {item.label}:{item.value}")
        for paragraph in letter.paragraphs:
            io.say(f"  {paragraph}")
        _progress(io, client.confirm_authorization_letter(order_no, letter.version))
    method = choices.enterprise_method
    person = _ask_person(io, "法人", PersonAnswers(legal_name, legal_id, legal.mobile,
                                                  legal.bank_card), method)
    given = {"bank_name": choices.bank_name, "branch_name": choices.branch_name,
             "account_number": choices.account_number}
    extra: dict[str, str | None] = {
        name: _value(io, given[name], _FIELD_LABELS[name])
        for name in Method(method).check.fields if name in given}
    verify_step(client, io, order_no, "enterprise", method, person, choices, **extra)


def run_key_unlock(client: ServiceClient, io: Prompter, order_no: str, driver: UKeyDriver,
                   new_pin: str | None = None) -> UnlockResult:
    """C-5 立即解锁: the agent resets the one inserted key; the PIN goes only to the card."""
    order = client.get_order(order_no)
    io.say(f"业务单 {order.order_no}：{order.state_label}，绑定 U-KEY {order.key_serial}")
    pin = new_pin or io.ask("请输入新密码", secret=True)
    confirm = new_pin or io.ask("请再次输入新密码", secret=True)
    io.say("正在读取 U-KEY 并向网厅申请解锁授权…")
    service = client.unlock_client()
    try:
        # The record of the unlock in flight: a crash before the confirm is finished by
        # the next run instead of resetting the key again.
        result = UnlockAgent(service, driver, ReceiptStore()).unlock(
            order_no, new_pin=pin, confirm_pin=confirm, expected_key_serial=order.key_serial)
    finally:
        service.close()
    if result.reconciled:
        io.say(f"U-KEY {result.key_serial} 已在上次解锁时设置了新密码，本次已完成确认，未再次重置；"
               "请使用上次设置的新密码")
        return result
    tries = result.pin_status.tries_left  # None: a PKCS#11 token that does not report it
    io.say(f"U-KEY {result.key_serial} 解锁成功，新密码已生效"
           + (f"（可重试{tries}次）" if tries is not None else ""))
    return result
