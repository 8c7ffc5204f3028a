"""``szca`` subcommands of the applicant: login, lookup, real-time unlock, my orders, and
立即解锁 with the key in the reader."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from szca_unlock.cli.session import (
    ConsolePrompter,
    logged_in_client,
    save_session,
    use_home_readers,
)
from szca_unlock.client import ServiceClient
from szca_unlock.client.flows import (
    PersonAnswers,
    RealtimeChoices,
    continue_realtime,
    run_key_unlock,
    run_realtime,
)
from szca_unlock.domain.verification_methods import DEFAULT_METHOD, STEP_METHODS, Step
from szca_unlock.ukey.base import UKeyDriver

AddParser = Callable[..., argparse.ArgumentParser]


def cmd_login(args: argparse.Namespace, io: ConsolePrompter) -> int:
    with ServiceClient(args.url) as client:
        if not args.code:
            sent = client.request_sms_code(args.mobile)
            io.say(sent.message)
        code = args.code or io.ask("请输入短信验证码")
        login = client.login(args.mobile, code)
        io.say(f"登录成功：{login.mobile_masked}")
        guide = client.guide()
        io.say(guide.title)
        for section in guide.sections:
            io.say(f"  {section.heading}:{section.text}")
        titles = "".join(a.title for a in guide.agreements)
        if not args.accept and io.ask(f"我同意接受{titles} [y/N]").lower() not in ("y", "yes"):
            io.say("未勾选服务协议，不能进入解锁")
            return 1
        client.accept_agreements()
        io.say(f"已同意{titles}")
        save_session(args.url, login.token)
    return 0


def cmd_lookup(args: argparse.Namespace, io: ConsolePrompter) -> int:
    with logged_in_client(args.url) as client:
        cert = client.lookup_certificate(args.serial)
    io.say(f"证书序列号：{cert.serial}")
    io.say(f"证书主题：{cert.subject_dn}")
    io.say(f"证书类型：{cert.type_label}  持有者：{cert.holder_name}  状态：{cert.status_label}")
    io.say(f"有效期：{cert.not_before:%Y-%m-%d} 至 {cert.not_after:%Y-%m-%d}")
    return 0


def _choices(args: argparse.Namespace) -> RealtimeChoices:
    return RealtimeChoices(
        operator_method=args.operator_method, enterprise_method=args.enterprise_method,
        identity_method=args.identity_method,
        operator=PersonAnswers(args.operator_name, args.operator_id, args.operator_mobile,
                               args.operator_bank_card),
        legal_rep=PersonAnswers(args.legal_rep_name, args.legal_rep_id,
                                args.legal_rep_mobile, args.legal_rep_bank_card),
        applicant=PersonAnswers(args.name, args.id_number, args.mobile, args.bank_card),
        bank_name=args.bank_name, branch_name=args.branch_name,
        account_number=args.account_number)


def cmd_unlock(args: argparse.Namespace, io: ConsolePrompter) -> int:
    with logged_in_client(args.url) as client:
        if args.mode == "manual":
            order = client.create_order(args.serial, "manual")
            io.say(f"已创建业务单 {order.order_no}（人工审核解锁），请按页面提示填写并上传资料")
            return 0
        run_realtime(client, io, args.serial, _choices(args))
    return 0


def cmd_continue(args: argparse.Namespace, io: ConsolePrompter) -> int:
    """Carry on an open real-time order (after closing the page or the terminal)."""
    with logged_in_client(args.url) as client:
        continue_realtime(client, io, args.order, _choices(args))
    return 0


def cmd_cancel(args: argparse.Namespace, io: ConsolePrompter) -> int:
    """Give up an open order; its certificate can then be unlocked in a new order."""
    with logged_in_client(args.url) as client:
        order = client.cancel_order(args.order)
    io.say(f"业务单 {order.order_no} 已取消（{order.state_label}）")
    return 0


def cmd_orders(args: argparse.Namespace, io: ConsolePrompter) -> int:
    with logged_in_client(args.url) as client:
        orders = client.all_orders()
        if not orders:
            io.say("暂无业务单")
        for order in orders:
            io.say(f"{order.order_no}  {order.mode_label}  {order.state_label}  "
                   f"{order.certificate_type}  {order.created_at:%Y-%m-%d %H:%M}")
            if args.history:
                for entry in client.get_order(order.order_no).history:
                    io.say(f"    {entry.at:%Y-%m-%d %H:%M:%S}  {entry.label} → "
                           f"{entry.to_state_label}")
    return 0


def _driver(args: argparse.Namespace) -> UKeyDriver:
    # Imported when used: a PC/SC-only machine need not have a PKCS#11 module, and back.
    if args.pkcs11_module:
        from szca_unlock.ukey.pkcs11_driver import Pkcs11Driver

        return Pkcs11Driver(args.pkcs11_module, serial_from=args.pkcs11_serial_from)
    from szca_unlock.ukey.pcsc import PcscDriver

    use_home_readers()
    return PcscDriver()


def cmd_key_unlock(args: argparse.Namespace, io: ConsolePrompter) -> int:
    driver = _driver(args)
    with logged_in_client(args.url) as client:
        run_key_unlock(client, io, args.order, driver, args.new_pin)
    return 0


def _verification_arguments(parser: argparse.ArgumentParser) -> None:
    # The choices in the page's drop-down order, defaulting to what the page preselects.
    for step in Step:
        parser.add_argument(f"--{step.value}-method", default=DEFAULT_METHOD[step].value,
                            choices=[m.value for m in STEP_METHODS[step]])
    for prefix in ("operator", "legal-rep"):
        parser.add_argument(f"--{prefix}-name")
        parser.add_argument(f"--{prefix}-id")
        parser.add_argument(f"--{prefix}-mobile")
        parser.add_argument(f"--{prefix}-bank-card")
    for name in ("name", "id-number", "mobile", "bank-card", "bank-name", "branch-name",
                 "account-number"):
        parser.add_argument(f"--{name}")


def register(add_parser: AddParser) -> None:
    """Add the applicant's subcommands (``add_parser`` is the subparsers' ``add_parser``)."""
    login = add_parser("login", help="短信验证码登录并同意服务协议")
    login.add_argument("mobile")
    login.add_argument("--code", help="短信验证码（省略则先发送并从标准输入读取）")
    login.add_argument("--accept", action="store_true", help="同意三份协议（脚本用）")
    login.set_defaults(run=cmd_login)

    lookup = add_parser("lookup", help="按证书序列号查询证书")
    lookup.add_argument("serial")
    lookup.set_defaults(run=cmd_lookup)

    unlock = add_parser("unlock", help="发起解锁并完成身份验证")
    unlock.add_argument("serial")
    unlock.add_argument("--mode", choices=["realtime", "manual"], default="realtime")
    _verification_arguments(unlock)
    unlock.set_defaults(run=cmd_unlock)

    carry_on = add_parser("continue", help="继续办理未完成的实时解锁业务单")
    carry_on.add_argument("order", help="业务单号")
    _verification_arguments(carry_on)
    carry_on.set_defaults(run=cmd_continue)

    cancel = add_parser("cancel", help="取消未完成的业务单")
    cancel.add_argument("order", help="业务单号")
    cancel.set_defaults(run=cmd_cancel)


    orders = add_parser("orders", help="我的业务单")
    orders.add_argument("--history", action="store_true", help="显示每张业务单的办理记录")
    orders.set_defaults(run=cmd_orders)

    key = add_parser("key-unlock", help="立即解锁：插入 U-KEY，设置新密码")
    key.add_argument("order")
    key.add_argument("--new-pin", help="新密码（脚本用；省略则输入两次）")
    key.add_argument("--pkcs11-module", help="PKCS#11 模块路径（省略则使用 PC/SC 读卡器）")
    key.add_argument("--pkcs11-serial-from", choices=["serial", "label"], default="serial")
    key.set_defaults(run=cmd_key_unlock)
