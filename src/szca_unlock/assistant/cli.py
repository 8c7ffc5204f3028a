"""``szca-assistant``: start the certificate helper (数字证书管理工具).

    szca-assistant --portal http://127.0.0.1:8400 [--port 8410]
                   [--pkcs11-module PATH [--pkcs11-serial-from label]] [--reader NAME ...]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

import uvicorn

from szca_unlock.assistant.app import AssistantConfig, create_assistant_app
from szca_unlock.logsetup import configure_logging
from szca_unlock.ukey import UKeyDriver


def _driver_factory(args: argparse.Namespace) -> Callable[[], UKeyDriver]:
    if args.pkcs11_module:
        from szca_unlock.ukey.pkcs11_driver import Pkcs11Driver

        return lambda: Pkcs11Driver(args.pkcs11_module, serial_from=args.pkcs11_serial_from)
    from szca_unlock.ukey.pcsc import PcscDriver
    from szca_unlock.ukey.pcsc_transport import pcsc_reader_names

    readers = list(args.reader or [])
    if readers:
        return lambda: PcscDriver(reader_names=lambda: [r for r in pcsc_reader_names()
                                                        if r in readers])
    return PcscDriver


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SystemExit(f"--portal 应为网厅地址，如 http://127.0.0.1:8400，收到 {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="szca-assistant", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--portal", required=True, help="网厅地址（只接受该来源的页面请求）")
    parser.add_argument("--service", help="网厅 API 地址（默认与 --portal 相同）")
    parser.add_argument("--port", type=int, default=8410)
    parser.add_argument("--pkcs11-module", help="PKCS#11 模块路径（省略则使用 PC/SC 读卡器）")
    parser.add_argument("--pkcs11-serial-from", choices=["serial", "label"], default="serial")
    parser.add_argument("--reader", action="append", help="只使用这些读卡器（可重复）")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging("INFO")
    origin = origin_of(args.portal)
    config = AssistantConfig(portal_origin=origin, service_url=args.service or origin,
                             port=args.port, instance=os.environ.get("SZCA_INSTANCE_ID", ""))
    app = create_assistant_app(config, _driver_factory(args))
    print(f"数字证书管理工具已启动：http://127.0.0.1:{args.port}（网厅 {origin}）", flush=True)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
