"""``szca``: the unlock service from a terminal, as a user would drive it (the CLI stands
in for the browser and the CA driver tool).

    szca login 13800138000            # the SMS code is read from stdin (or --code)
    szca lookup 5A1C0E2B7D3F0001
    szca unlock 5A1C0E2B7D3F0001 --mode realtime --operator-method carrier ...
    szca orders
    szca key-unlock JS202611260001    # asks the new PIN twice (or --new-pin)

The session token is kept in ``$SZCA_HOME/cli-session.json`` (mode 600).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from szca_unlock import cli_manual
from szca_unlock.api.errors import ApiError
from szca_unlock.client import ServiceClient
from szca_unlock.client.flows import (
    PersonAnswers,
    RealtimeChoices,
    run_key_unlock,
    run_realtime,
)
from szca_unlock.config import home_dir
from szca_unlock.domain.errors import DomainError
from szca_unlock.ukey import UKeyError

DEFAULT_URL = "http://127.0.0.1:8400"


class ConsolePrompter:
    """Questions on stderr-free stdout, answers from stdin (``getpass`` for PINs on a tty)."""

    def say(self, text: str) -> None:
        print(text, flush=True)

    def ask(self, label: str, *, secret: bool = False) -> str:
        if secret and sys.stdin.isatty():
            return getpass.getpass(f"{label}:")
        print(f"{label}:", end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            raise SystemExit(f"未输入{label}")
        return line.strip()


def _session_file() -> Path:
    return home_dir() / "cli-session.json"


def _save_session(url: str, token: str) -> None:
    path = _session_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"url": url, "token": token}))
    path.chmod(0o600)


def _client(args: argparse.Namespace) -> ServiceClient:
    token = None
    path = _session_file()
    if path.exists():
        saved = json.loads(path.read_text())
        if saved.get("url") == args.url:
            token = saved.get("token")
    return ServiceClient(args.url, token)


def cmd_login(args: argparse.Namespace, io: ConsolePrompter) -> int:
    with ServiceClient(args.url) as client:
        if not args.code:
            sent = client.request_sms_code(args.mobile)
            io.say(sent.message)
        code = args.code or io.ask("请输入短信验证码")
        login = client.login(args.mobile, code)
        io.say(f"登录成功:{login.mobile_masked}")
        guide = client.guide()
        io.say(guide.title)
        for section in guide.sections:
            io.say(f"  {section.heading}:{section.text}")
        titles = "".join(a.title for a in guide.agreements)
        if not args.accept and io.ask(f"我同意接受{titles} [y/N]").lower() not in ("y", "yes"):
            io.say("未勾选服务协议,不能进入解锁")
            return 1
        client.accept_agreements()
        io.say(f"已同意{titles}")
        _save_session(args.url, login.token)
    return 0


def cmd_lookup(args: argparse.Namespace, io: ConsolePrompter) -> int:
    with _client(args) as client:
        cert = client.lookup_certificate(args.serial)
    io.say(f"证书序列号:{cert.serial}")
    io.say(f"证书主题:{cert.subject_dn}")
    io.say(f"证书类型:{cert.type_label}  持有者:{cert.holder_name}  状态:{cert.status_label}")
    io.say(f"有效期:{cert.not_before:%Y-%m-%d} 至 {cert.not_after:%Y-%m-%d}")
    return 0


def cmd_unlock(args: argparse.Namespace, io: ConsolePrompter) -> int:
    with _client(args) as client:
        if args.mode == "manual":
            order = client.create_order(args.serial, "manual")
            io.say(f"已创建业务单 {order.order_no}(人工审核解锁),请按页面提示填写并上传资料")
            return 0
        choices = RealtimeChoices(
            operator_method=args.operator_method, enterprise_method=args.enterprise_method,
            identity_method=args.identity_method,
            operator=PersonAnswers(args.operator_name, args.operator_id, args.operator_mobile,
                                   args.operator_bank_card),
            legal_rep=PersonAnswers(args.legal_rep_name, args.legal_rep_id,
                                    args.legal_rep_mobile, args.legal_rep_bank_card),
            applicant=PersonAnswers(args.name, args.id_number, args.mobile, args.bank_card),
            bank_name=args.bank_name, branch_name=args.branch_name,
            account_number=args.account_number)
        run_realtime(client, io, args.serial, choices)
    return 0


def cmd_orders(args: argparse.Namespace, io: ConsolePrompter) -> int:
    with _client(args) as client:
        orders = client.list_orders().orders
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


def cmd_key_unlock(args: argparse.Namespace, io: ConsolePrompter) -> int:
    if args.pkcs11_module:
        from szca_unlock.ukey.pkcs11_driver import Pkcs11Driver

        driver = Pkcs11Driver(args.pkcs11_module, serial_from=args.pkcs11_serial_from)
    else:
        from szca_unlock.ukey.pcsc import PcscDriver

        driver = PcscDriver()  # type: ignore[assignment]
    with _client(args) as client:
        run_key_unlock(client, io, args.order, driver, args.new_pin)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="szca", description="深圳CA网上营业厅 U-KEY 解锁")
    parser.add_argument("--url", default=os.environ.get("SZCA_SERVICE_URL", DEFAULT_URL),
                        help="网厅服务地址 (SZCA_SERVICE_URL)")
    sub = parser.add_subparsers(dest="command", required=True)

    login = sub.add_parser("login", help="短信验证码登录并同意服务协议")
    login.add_argument("mobile")
    login.add_argument("--code", help="短信验证码(省略则先发送并从标准输入读取)")
    login.add_argument("--accept", action="store_true", help="同意三份协议(脚本用)")
    login.set_defaults(run=cmd_login)

    lookup = sub.add_parser("lookup", help="按证书序列号查询证书")
    lookup.add_argument("serial")
    lookup.set_defaults(run=cmd_lookup)

    unlock = sub.add_parser("unlock", help="发起解锁并完成身份验证")
    unlock.add_argument("serial")
    unlock.add_argument("--mode", choices=["realtime", "manual"], default="realtime")
    unlock.add_argument("--operator-method", choices=["carrier", "bank", "face"],
                        default="carrier")
    unlock.add_argument("--enterprise-method", default="legal_face",
                        choices=["legal_face", "legal_carrier", "legal_bank", "deposit"])
    unlock.add_argument("--identity-method", choices=["face", "carrier", "bank"],
                        default="face")
    for prefix in ("operator", "legal-rep"):
        unlock.add_argument(f"--{prefix}-name")
        unlock.add_argument(f"--{prefix}-id")
        unlock.add_argument(f"--{prefix}-mobile")
        unlock.add_argument(f"--{prefix}-bank-card")
    for name in ("name", "id-number", "mobile", "bank-card", "bank-name", "branch-name",
                 "account-number"):
        unlock.add_argument(f"--{name}")
    unlock.set_defaults(run=cmd_unlock)

    orders = sub.add_parser("orders", help="我的业务单")
    orders.add_argument("--history", action="store_true", help="显示每张业务单的办理记录")
    orders.set_defaults(run=cmd_orders)

    key = sub.add_parser("key-unlock", help="立即解锁:插入 U-KEY,设置新密码")
    key.add_argument("order")
    key.add_argument("--new-pin", help="新密码(脚本用;省略则输入两次)")
    key.add_argument("--pkcs11-module", help="PKCS#11 模块路径(省略则使用 PC/SC 读卡器)")
    key.add_argument("--pkcs11-serial-from", choices=["serial", "label"], default="serial")
    key.set_defaults(run=cmd_key_unlock)
    cli_manual.register(sub)  # manual review and staff subcommands
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    io = ConsolePrompter()
    try:
        return int(args.run(args, io))
    except ApiError as error:
        io.say(f"错误:{error}")
        return 2
    except (UKeyError, DomainError) as error:
        io.say(f"错误:{getattr(error, 'message', None) or error}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
