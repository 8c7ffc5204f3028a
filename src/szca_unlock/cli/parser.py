"""The ``szca`` command line: every audience's subcommands under one parser."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from szca_unlock.api.errors import ApiError
from szca_unlock.cli import applicant, manual, staff
from szca_unlock.cli.session import ConsolePrompter, default_url
from szca_unlock.domain.errors import DomainError
from szca_unlock.ukey import UKeyError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="szca", description="深圳CA网上营业厅 U-KEY 解锁")
    parser.add_argument("--url", default=default_url(),
                        help="网厅服务地址（SZCA_SERVICE_URL；默认取 SZCA_HOME 中模拟环境"
                             "记录的地址，没有则为 127.0.0.1:8400）")
    sub = parser.add_subparsers(dest="command", required=True)
    for audience in (applicant, manual, staff):
        audience.register(sub.add_parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    io = ConsolePrompter()
    try:
        return int(args.run(args, io))
    except ApiError as error:
        io.say(f"错误：{error}")
        return 2
    except (UKeyError, DomainError) as error:
        io.say(f"错误：{getattr(error, 'message', None) or error}")
        return 2
