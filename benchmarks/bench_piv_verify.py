"""VERIFY round trips per second through the PIV application vs the SZCA application of
the same virtual U-KEY, in the same run: through pcscd + vpcd (what middleware gets), and
straight on the card OS in-process (the applets' own cost, no transport).

Goal (issue: PIV beside the CA's applet): PIV within 10 % of SZCA. Interleaved slices,
medians; prints the ratio. Not a test: ``.venv/bin/python benchmarks/bench_piv_verify.py``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from emulator.virtual_ukey.commands import SELECT_AID, verify
from emulator.virtual_ukey.factory import open_card
from emulator.virtual_ukey.reader import ReaderChannel
from emulator.virtual_ukey.world import VirtualUKeyWorld

PIN = "123456"
SELECT_PIV = "00A4040009A00000030800001000"
PIV_VERIFY = bytes([0x00, 0x20, 0x00, 0x80, 8]) + PIN.encode().ljust(8, b"\xff")
SZCA_VERIFY = verify(PIN)


def slice_rate(send: Callable[[bytes], int], apdu: bytes, seconds: float) -> float:
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        if send(apdu) != 0x9000:
            raise SystemExit(f"VERIFY answered {send(apdu):04X}")
        count += 1
    return count / elapsed


def measure(send: Callable[[bytes], int], rounds: int, seconds: float) -> dict[str, float]:
    """Median VERIFY/s per application; each slice SELECTs its application first (the
    card's command set does not depend on it, middleware does it all the same)."""
    samples: dict[str, list[float]] = {"SZCA": [], "PIV": []}
    cases = [("SZCA", SELECT_AID, SZCA_VERIFY), ("PIV", SELECT_PIV, PIV_VERIFY)]
    for round_no in range(rounds):
        # alternate which goes first: a load change within a round hits both alike
        for name, select, apdu in cases if round_no % 2 == 0 else cases[::-1]:
            assert send(bytes.fromhex(select)) == 0x9000
            samples[name].append(slice_rate(send, apdu, seconds))
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=1.0, help="per slice")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="szca-bench-piv-"))
    world = VirtualUKeyWorld(home / "ukey")  # holder = this PID: pruned if we die
    world.start()
    serial = "SZBENCHPIV01"
    try:
        world.create_card(serial, PIN, master_key=os.urandom(32), key_store="software")
        with ReaderChannel(world.insert(serial)) as channel:
            through_reader = measure(channel.sw, args.rounds, args.seconds)
        world.remove(serial)
        card = open_card(serial, world.repo)
        card.powerUp()
        in_process = measure(lambda apdu: int.from_bytes(card.execute(apdu)[-2:], "big"),
                             args.rounds, args.seconds / 4)
    finally:
        world.stop()
        shutil.rmtree(home, ignore_errors=True)

    print(f"VERIFY with the correct PIN, median of {args.rounds} interleaved slices")
    print(f"{'path':34} {'SZCA/s':>9} {'PIV/s':>9} {'PIV/SZCA':>9}")
    for label, rates in (("pcscd + vpcd (reader)", through_reader),
                         ("card OS in-process", in_process)):
        ratio = rates["PIV"] / rates["SZCA"]
        print(f"{label:34} {rates['SZCA']:9.0f} {rates['PIV']:9.0f} {ratio:9.1%}")
    reader_ratio = through_reader["PIV"] / through_reader["SZCA"]
    print(f"goal: PIV within 10 % of SZCA through the reader -> "
          f"{'met' if reader_ratio >= 0.9 else 'NOT met'} ({reader_ratio:.1%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
