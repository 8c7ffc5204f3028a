"""VERIFY round trips per second through pcscd + vpcd, three cards in the same run.

(a) our virtual U-KEY, (b) a minimal raw-socket card answering 9000 to everything (the
ceiling of the reader path), (c) the stock ``vicc --type iso7816`` card. Prints rates and
ratios against (b). Not a test: run ``.venv/bin/python benchmarks/bench_card_reader.py``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import struct
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from emulator.virtual_ukey.card_os import ATR
from emulator.virtual_ukey.commands import SELECT_AID, VERIFY_STATUS, verify
from emulator.virtual_ukey.reader import ReaderChannel
from emulator.virtual_ukey.world import VirtualUKeyWorld

_QUICKACK = getattr(socket, "TCP_QUICKACK", None)
VICC = "/usr/bin/vicc"


def ceiling_card(port: int, quickack: bool) -> None:
    """The least a card can do: ATR on request, 9000 to every APDU."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def recv(n: int) -> bytes:
        data = b""
        while len(data) < n:
            if quickack and _QUICKACK is not None:
                sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise SystemExit(0)
            data += chunk
        return data

    while True:
        (size,) = struct.unpack("!H", recv(2))
        msg = recv(size)
        if size == 1:
            if msg[0] == 4:
                sock.sendall(struct.pack("!H", len(ATR)) + ATR)
            continue
        sock.sendall(b"\x00\x02\x90\x00")


def slice_rate(channel: ReaderChannel, apdu: str, seconds: float) -> float:
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        channel.sw(apdu)
        count += 1
    return count / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=2.0, help="per card and round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--ceiling-card", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--no-quickack", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ceiling_card:
        ceiling_card(args.ceiling_card, quickack=not args.no_quickack)
        return 0

    script = str(Path(__file__).resolve())
    home = Path(tempfile.mkdtemp(prefix="szca-bench-"))
    world = VirtualUKeyWorld(home / "ukey")  # holder = this PID: pruned if we die
    world.start()
    ours = "SZBENCH000001"
    externals: dict[str, Callable[[int], list[str]]] = {
        "ceiling": lambda port: [sys.executable, script, "--ceiling-card", str(port)],
        "vicc": lambda port: [sys.executable, VICC, "-t", "iso7816", "-P", str(port)],
        "no-quickack": lambda port: [sys.executable, script, "--ceiling-card", str(port),
                                     "--no-quickack"],
    }
    if not Path(VICC).exists():
        del externals["vicc"]
    channels: dict[str, ReaderChannel] = {}
    try:
        world.create_card(ours, "123456", master_key=os.urandom(32), key_store="software")
        channels["ours"] = ReaderChannel(world.insert(ours))
        for label, argv in externals.items():
            channels[label] = ReaderChannel(world.insert_external(label, argv))
        channels["ours"].sw(SELECT_AID)
        cases = [  # (label, channel, APDU)
            ("ceiling: raw-socket card, 9000 to all", "ceiling", verify("123456").hex()),
            ("ours: VERIFY correct PIN", "ours", verify("123456").hex()),
            ("ours: VERIFY status query (Lc=0)", "ours", VERIFY_STATUS),
            ("stock vicc --type iso7816: VERIFY", "vicc", "0020000106313233343536"),
            ("raw-socket card without TCP_QUICKACK", "no-quickack", verify("123456").hex()),
        ]
        cases = [case for case in cases if case[1] in channels]
        sws = {label: channels[key].sw(apdu) for label, key, apdu in cases}
        samples: dict[str, list[float]] = {label: [] for label, _, _ in cases}
        for _ in range(args.rounds):  # interleaved, so load changes hit every card alike
            for label, key, apdu in cases:
                slow = key in ("vicc", "no-quickack")
                samples[label].append(slice_rate(channels[key], apdu,
                                                 min(args.seconds, 1.0) if slow else args.seconds))
    finally:
        for channel in channels.values():
            channel.close()
        world.stop()
        shutil.rmtree(home, ignore_errors=True)

    medians = {label: statistics.median(values) for label, values in samples.items()}
    ceiling = medians[cases[0][0]]
    print(f"median of {args.rounds} interleaved rounds; ratio against the ceiling card")
    print(f"{'card':42} {'APDU/s':>9} {'ratio':>7}  SW")
    for label, _, _ in cases:
        print(f"{label:42} {medians[label]:9.0f} {medians[label] / ceiling:7.1%}  "
              f"{sws[label]:04X}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
