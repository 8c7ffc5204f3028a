"""``python -m emulator.mock_providers --host 127.0.0.1 --port 8401``"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import uvicorn
import yaml

from szca_unlock.keepalive import server_options
from szca_unlock.logsetup import configure_logging

from .app import create_app
from .state import ProviderState


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m emulator.mock_providers",
                                     description="Mock identity providers (docs/providers.md)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8401)
    parser.add_argument("--seed", type=Path, metavar="FILE",
                        help="JSON or YAML file with carrier/bank/face/corporate_accounts records")
    parser.add_argument("--log-level", default="info")
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    configure_logging(args.log_level.upper())
    state = ProviderState()
    if args.seed:
        text = args.seed.read_text(encoding="utf-8")
        state.seed(json.loads(text) if args.seed.suffix == ".json" else yaml.safe_load(text))
    uvicorn.run(create_app(state), host=args.host, port=args.port, log_level=args.log_level,
                **server_options())


if __name__ == "__main__":
    main()
