"""``szca-emulator``: the emulated world on loopback.

    szca-emulator up [--scenario FILE] [--detach]   # pcscd + cards, providers, service
                                                    # (free ports, recorded in the home)
    szca-emulator down                              # stop what `up` started, only that
    szca-emulator status
    szca-emulator providers --port 8401             # only the five mock providers
    szca-emulator demo                              # a full ORG-RT unlock, step by step
    szca-emulator demo-ui [--headed]                # the same through the pages in Chromium
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from emulator.scenarios import DEFAULT_SCENARIO, scenario_file
from emulator.stack import Stack, StackConfig, StackError, StackRecord
from emulator.virtual_ukey import pcsc, pkcs11_tokens
from emulator.virtual_ukey.opensc import OPENSC_CONF, opensc_module
from szca_unlock.config import home_dir
from szca_unlock.logsetup import configure_logging


def _config(args: argparse.Namespace) -> StackConfig:
    return StackConfig(home=args.home, scenario=getattr(args, "scenario", DEFAULT_SCENARIO),
                       service_port=getattr(args, "service_port", None),
                       providers_port=getattr(args, "providers_port", None))


def print_world(record: StackRecord) -> None:
    print(f"网上营业厅    {record.service_url}/login（用 Chromium 打开，按操作手册办理解锁）")
    if record.assistant_url:
        print(f"数字证书管理工具 {record.assistant_url}"
              "（szca-assistant，立即解锁经它重置 U-KEY 密码）")
    print(f"网厅服务      {record.service_url}   (OpenAPI: {record.service_url}/docs)")
    print(f"短信收件箱    {record.providers_url}/pages/sms"
          f"（人脸核身 H5：扫码所得地址的 token 换成 {record.providers_url}/pages/face/<token>；"
          f"企业网银：{record.providers_url}/pages/bank/<对公账号>）")
    print(f"模拟服务商    {record.providers_url}（控制接口：{record.providers_url}/_control）")
    print(f"读卡器        export {pcsc.CSOCK_ENV}={record.pcsc_socket}"
          "   # opensc-tool、pkcs11-tool 等 PC/SC 程序看到本环境的读卡器")
    print("虚拟 U-KEY:")
    for key in record.keys:
        where = (pkcs11_tokens.KIND_LABEL if key.driver == "pkcs11"
                 else f"读卡器 {key.reader}" if key.reader else "未插入")
        print(f"  {key.serial}  证书序列号 {key.certificate_serial}  {key.kind}  "
              f"{key.holder}  {where}  初始PIN {key.pin}")
        if key.softhsm2_conf:
            print(f"    export SOFTHSM2_CONF={key.softhsm2_conf}"
                  f"  # 然后 szca key-unlock <业务单号> --pkcs11-module {pkcs11_tokens.MODULE}"
                  " --pkcs11-serial-from label")
    if any(key.reader for key in record.keys):
        module = opensc_module() or "opensc-pkcs11.so"
        print("读卡器中的 U-KEY 也是 PIV 卡，任何 PKCS#11 应用可经 OpenSC 使用：")
        print(f"  export OPENSC_CONF={OPENSC_CONF}  # 然后 pkcs11-tool --module {module} -L")


def cmd_up(args: argparse.Namespace) -> int:
    stack = Stack(_config(args))
    record = stack.up(insert=args.insert)
    print_world(record)
    if args.detach:
        print("已在后台运行；停止：szca-emulator down")
        return 0
    print("按 Ctrl-C 停止")
    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    stopped.wait()
    stack.down()
    print("已停止")
    return 0


def cmd_down(args: argparse.Namespace) -> int:
    if Stack(_config(args)).down():
        print("已停止")
    else:
        print("没有正在运行的模拟环境")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    record = Stack(_config(args)).running_record()
    if record is None:
        print("没有正在运行的模拟环境")
        return 1
    print(json.dumps(asdict(record), ensure_ascii=False, indent=1))
    return 0


def cmd_providers(args: argparse.Namespace) -> int:
    from emulator.mock_providers.__main__ import main as providers_main

    argv = ["--host", args.host, "--port", str(args.port)]
    if args.seed:
        argv += ["--seed", str(args.seed)]
    providers_main(argv)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from emulator.demo import run_demo

    if args.keep:
        return run_demo(_config(args), new_pin=args.new_pin, stay_up=args.stay_up)
    if args.stay_up:
        raise StackError("--stay-up 需要 --keep（临时目录中的环境在演示结束时删除）")
    # A world of its own, thrown away afterwards: every run starts from the same state
    # (no resend countdown left over from the last run, no orders piling up).
    with tempfile.TemporaryDirectory(prefix="szca-demo-") as home:
        args.home = Path(home)
        return run_demo(_config(args), new_pin=args.new_pin)


def cmd_demo_ui(args: argparse.Namespace) -> int:
    from emulator.demo_ui import REPORTS, run_demo_ui

    with tempfile.TemporaryDirectory(prefix="szca-demo-ui-") as home:
        args.home = Path(home)
        return run_demo_ui(_config(args), headed=args.headed, out=args.out or REPORTS)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="szca-emulator", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, default=home_dir(),
                        help="state directory (default $SZCA_HOME or ./.szca)")
    sub = parser.add_subparsers(dest="command", required=True)

    def world_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--scenario", type=scenario_file, default=DEFAULT_SCENARIO,
                       help="内置场景名（default、load）或场景 YAML 文件（默认 default）")
        p.add_argument("--service-port", type=int, default=None,
                       help="网厅服务端口（默认：空闲端口，记录在 SZCA_HOME）")
        p.add_argument("--providers-port", type=int, default=None,
                       help="模拟服务商端口（默认：空闲端口，记录在 SZCA_HOME）")

    up = sub.add_parser("up", help="start pcscd + virtual U-KEYs, mock providers, service")
    world_options(up)
    up.add_argument("--insert", nargs="*", default=[], metavar="KEY_SERIAL",
                    help="insert these keys into readers ('all' for every key)")
    up.add_argument("--detach", action="store_true", help="return and leave it running")
    up.set_defaults(handler=cmd_up)
    sub.add_parser("down", help="stop what `up` started").set_defaults(handler=cmd_down)
    sub.add_parser("status", help="what runs, where").set_defaults(handler=cmd_status)
    prov = sub.add_parser("providers", help="only the five mock providers, in the foreground")
    prov.add_argument("--host", default="127.0.0.1")
    prov.add_argument("--port", type=int, default=8401)
    prov.add_argument("--seed", type=Path, help="JSON/YAML identity records")
    prov.set_defaults(handler=cmd_providers)
    demo_ui = sub.add_parser("demo-ui", help="the ORG-RT unlock clicked through the pages in "
                             "Chromium; screenshots in reports/demo-ui")
    demo_ui.add_argument("--headed", action="store_true", help="show the browser window")
    demo_ui.add_argument("--out", type=Path, help="where the screenshots go")
    demo_ui.set_defaults(handler=cmd_demo_ui)
    demo = sub.add_parser("demo", help="a complete ORG-RT unlock against the emulators")
    world_options(demo)
    demo.add_argument("--keep", action="store_true",
                      help="run in --home and keep its state (default: a fresh temporary home)")
    demo.add_argument("--stay-up", action="store_true",
                      help="with --keep: leave the world running afterwards (szca-emulator down)")
    demo.add_argument("--new-pin", default="Szca2026", help="the PIN the unlock sets")
    demo.set_defaults(handler=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging("WARNING")
    try:
        return int(args.handler(args))
    except StackError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
