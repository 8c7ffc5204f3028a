"""One inserted card = one process: ``python -m emulator.virtual_ukey.card_process``.

It connects to a vpcd reader port and answers until the reader hangs up or it is
terminated (removal). State changes are atomic on disk, so a kill at any time is safe.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from emulator.virtual_ukey.factory import open_card
from emulator.virtual_ukey.state import CardRepository
from emulator.virtual_ukey.transport import VpcdLink, serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="virtual U-KEY card process")
    parser.add_argument("--home", required=True, type=Path, help="ukey home (cards, tokens)")
    parser.add_argument("--serial", required=True)
    parser.add_argument("--port", required=True, type=int)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--ready", type=Path, help="file written once connected")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    card = open_card(args.serial, CardRepository(args.home))
    link = VpcdLink.connect(args.host, args.port)
    if args.ready:
        tmp = args.ready.with_suffix(".tmp")
        tmp.write_text(str(os.getpid()))
        tmp.replace(args.ready)
    serve(card, link)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
