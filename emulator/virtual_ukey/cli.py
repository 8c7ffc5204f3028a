"""``szca-ukey``: the virtual U-KEY world and its cards from the command line.

Exit codes: 0 done; 1 the card refused (wrong PIN, blocked); 2 usage; 3 environment
(world not running, no such card or reader, pcscd problem).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from emulator.scenarios import DEFAULT_SCENARIO, scenario_file
from emulator.virtual_ukey import pcsc
from emulator.virtual_ukey.apdu import StatusWord
from emulator.virtual_ukey.commands import SELECT_AID, verify
from emulator.virtual_ukey.factory import CardExists, CertificateIssuer
from emulator.virtual_ukey.keystore import KINDS
from emulator.virtual_ukey.opensc import OPENSC_CONF
from emulator.virtual_ukey.reader import ReaderChannel, ReaderError
from emulator.virtual_ukey.world import CardStatus, VirtualUKeyWorld, WorldError
from szca_unlock.config import home_dir

CLI_HOLDER = "cli"
EXIT_REFUSED, EXIT_ENV = 1, 3


def _world(args: argparse.Namespace) -> VirtualUKeyWorld:
    """The world of ``$SZCA_HOME``."""
    return VirtualUKeyWorld(readers=getattr(args, "readers", 8), holder=CLI_HOLDER)


def _describe(status: CardStatus) -> str:
    if status.admin_blocked:
        pin = "已永久锁死（解锁次数用尽）"
    elif status.blocked:
        pin = "已锁死，需要解锁"
    else:
        pin = f"可用，还可尝试 {status.tries_left}/{status.max_tries} 次"
    where = f"插在 {status.reader}" if status.reader else "未插入"
    return (f"{status.serial}  PIN：{pin}  解锁次数：{status.admin_left}/{status.admin_max}"
            f"  密钥：{status.key_store}  {where}")


def _explain(sw: int) -> str:
    if sw == StatusWord.OK:
        return "PIN 验证通过"
    if sw == StatusWord.AUTH_METHOD_BLOCKED:
        return "U-KEY 已锁死（PIN 错误次数过多），请办理解锁"
    if sw & 0xFFF0 == 0x63C0:
        return f"PIN 错误，还可尝试 {sw & 0x0F} 次"
    return f"U-KEY 返回状态字 {sw:04X}"


def cmd_up(args: argparse.Namespace) -> int:
    world = _world(args)
    readers = world.start()
    print(f"虚拟读卡器环境已启动（{world.repo.home}），共 {len(readers)} 个读卡器：")
    for name in readers:
        print(f"  {name}")
    print("其他 PC/SC 程序（opensc-tool、pkcs11-tool、pyscard）访问本环境的读卡器：")
    print(f"  export {pcsc.CSOCK_ENV}={world.socket}")
    print(f"PKCS#11 应用（OpenSC）还需设置：export OPENSC_CONF={OPENSC_CONF}")
    return 0


def cmd_down(args: argparse.Namespace) -> int:
    world = _world(args)
    if world.stop(force=args.force):
        print("虚拟读卡器环境已停止")
    else:
        print(f"仍有其他使用者（{', '.join(world.holders())}），环境保持运行；用 --force 强制停止")
    return 0


def _persona_issuer(args: argparse.Namespace) -> tuple[str, str, CertificateIssuer, bytes]:
    """Serial, PIN, issuer and master key for ``--persona``: the persona's certificate,
    issued by the test CA of ``$SZCA_HOME`` (the same one ``szca-emulator up`` uses)."""
    from emulator.master_key import MasterKey
    from emulator.personas import TestCA, load_scenario
    from emulator.personas.issuing import issuer_for

    home = home_dir()
    try:
        persona = load_scenario(args.scenario).certificate(args.persona)
    except KeyError as exc:
        raise WorldError(f"场景中没有证书 {args.persona}：{exc}") from exc
    if args.serial and args.serial != persona.key_serial:
        raise WorldError(f"证书 {args.persona} 签发在 U-KEY {persona.key_serial} 上，"
                         f"与给出的序列号 {args.serial} 不同")
    issuer = issuer_for(TestCA.load_or_create(home / "ca"), persona)
    master_key = MasterKey.of_home(home).value
    return persona.key_serial, args.pin or persona.pin, issuer, master_key


def cmd_create(args: argparse.Namespace) -> int:
    issuer: CertificateIssuer | None = None
    master_key: bytes | None = None
    serial, pin = args.serial, args.pin
    if args.persona:
        serial, pin, issuer, master_key = _persona_issuer(args)
    if not serial or not pin:
        raise ValueError("需要 U-KEY 序列号和 --pin（或用 --persona 取场景中的证书）")
    state = _world(args).create_card(
        serial, pin, issue_certificate=issuer, master_key=master_key,
        max_tries=args.max_tries, admin_max=args.admin_max,
        pin_min=args.pin_min, pin_max=args.pin_max,
        challenge_lifetime_s=args.challenge_lifetime, key_store=args.key_store,
    )
    print(f"已创建 U-KEY {state.serial}（PIN 最多尝试 {state.max_tries} 次，"
          f"密钥存放于 {args.key_store}）")
    return 0


def cmd_insert(args: argparse.Namespace) -> int:
    if args.reader and len(args.serials) > 1:
        raise WorldError("--reader 只能与一个序列号一起使用")
    world = _world(args)
    for serial in args.serials:
        print(f"U-KEY {serial} 已插入 {world.insert(serial, args.reader)}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    world = _world(args)
    for serial in args.serials:
        print(f"U-KEY {serial} 已从 {world.remove(serial)} 拔出")
    return 0


def _channel(world: VirtualUKeyWorld, serial: str) -> ReaderChannel:
    reader = world.status(serial).reader
    if reader is None:
        raise WorldError(f"U-KEY {serial} 没有插在任何读卡器上，请先 szca-ukey insert {serial}")
    if not pcsc.bind_process(world.socket):
        raise WorldError(f"环境变量 {pcsc.CSOCK_ENV}={os.environ[pcsc.CSOCK_ENV]} 指向另一个"
                         f"虚拟 U-KEY 环境，而 SZCA_HOME 的环境是 {world.socket}；"
                         f"请改为 export {pcsc.CSOCK_ENV}={world.socket}（或 unset）")
    channel = ReaderChannel(reader)
    channel.sw(SELECT_AID)
    return channel


def cmd_verify(args: argparse.Namespace) -> int:
    with _channel(_world(args), args.serial) as channel:
        sw = channel.sw(verify(args.pin))
    print(_explain(sw))
    return 0 if sw == StatusWord.OK else EXIT_REFUSED


def cmd_lock(args: argparse.Namespace) -> int:
    """Type wrong PINs through the reader, like a user, until the card says 6983."""
    wrong = ["000000", "000001"]
    with _channel(_world(args), args.serial) as channel:
        while True:
            sw = channel.sw(verify(wrong[0]))
            if sw == StatusWord.OK:  # that "wrong" PIN happened to be the right one
                wrong.pop(0)
                continue
            print(f"输入错误 PIN：{_explain(sw)}")
            if sw == StatusWord.AUTH_METHOD_BLOCKED:
                return 0
            if sw & 0xFFF0 != 0x63C0:
                return EXIT_REFUSED


def cmd_status(args: argparse.Namespace) -> int:
    status = _world(args).status(args.serial)
    print(_describe(status))
    print(f"  {status.piv}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    world = _world(args)
    cards = world.list_cards()
    print(f"U-KEY（{world.repo.home}）：" if cards else f"{world.repo.home} 下没有 U-KEY")
    for status in cards:
        print(f"  {_describe(status)}")
    readers = world.readers()
    if readers:
        print("读卡器：" if world.running() else "读卡器（环境未启动）：")
        for name, serial in readers.items():
            print(f"  {name}: {serial or '空'}")
    return 0


def cmd_reset(args: argparse.Namespace) -> int:
    _world(args).reset_card(args.serial, args.pin)
    print(f"U-KEY {args.serial} 已恢复出厂状态（计数器已重置，PIN 已设为指定值）")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="szca-ukey", description="虚拟 U-KEY 与虚拟读卡器")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, handler: Callable[[argparse.Namespace], int], text: str
            ) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=text, description=text)
        command.set_defaults(handler=handler)
        return command

    up = add("up", cmd_up, "启动 pcscd 与虚拟读卡器")
    up.add_argument("--readers", type=int, default=8, help="读卡器数量（默认 8，最多 16）")
    add("down", cmd_down, "停止虚拟读卡器环境").add_argument("--force", action="store_true")
    create = add("create", cmd_create, "创建一个新的 U-KEY")
    create.add_argument("serial", nargs="?", help="U-KEY 序列号（用 --persona 时可省略）")
    create.add_argument("--pin", help="初始 PIN（用 --persona 时默认取场景中的 PIN）")
    create.add_argument("--persona", metavar="CERT_ID",
                        help="按场景中的证书签发，由 $SZCA_HOME/ca 的测试 CA 签发")
    create.add_argument("--scenario", type=scenario_file, default=DEFAULT_SCENARIO)
    create.add_argument("--max-tries", type=int, default=6)
    create.add_argument("--admin-max", type=int, default=10)
    create.add_argument("--pin-min", type=int, default=6)
    create.add_argument("--pin-max", type=int, default=16)
    create.add_argument("--challenge-lifetime", type=float, default=120.0)
    create.add_argument("--key-store", choices=KINDS, default="softhsm")
    add("insert", cmd_insert, "把 U-KEY 插入读卡器").add_argument("serials", nargs="+")
    sub.choices["insert"].add_argument("--reader")
    add("remove", cmd_remove, "拔出 U-KEY").add_argument("serials", nargs="+")
    add("lock", cmd_lock, "反复输入错误 PIN 直到 U-KEY 锁死").add_argument("serial")
    add("status", cmd_status, "查看 U-KEY 状态").add_argument("serial")
    add("list", cmd_list, "列出 U-KEY 与读卡器")
    verify_cmd = add("verify", cmd_verify, "通过读卡器验证 PIN")
    verify_cmd.add_argument("serial")
    verify_cmd.add_argument("--pin", required=True)
    reset = add("reset", cmd_reset, "恢复出厂状态")
    reset.add_argument("serial")
    reset.add_argument("--pin", required=True, help="恢复后的 PIN")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except (WorldError, ReaderError, pcsc.PcscError, CardExists) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_ENV
    except ValueError as exc:
        print(f"参数错误：{exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
