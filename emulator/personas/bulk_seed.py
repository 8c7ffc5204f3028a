"""``python -m emulator.personas.bulk_seed --count 1000000 --database-url URL``: migrate the
database and seed a bulk population (emulator.personas.bulk) one chunk per transaction, in
the memory of one chunk whatever the count; prints the time and the peak RSS. Personal
data is encrypted under ``SZCA_UNLOCK_MASTER_KEY``, the master key of the service that
will read the database.

The population is the same as ``generate_population`` makes for the same settings (one
RNG stream), so a load world or a benchmark can seed its database this way.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from emulator.personas.bulk import BulkSettings, iter_population
from emulator.personas.ca import TestCA
from emulator.personas.seeding import SeedReport, seed_in_chunks
from szca_unlock.store.database import Database
from szca_unlock.store.migrate import upgrade_to_head

DEFAULT_CHUNK = 5000


@dataclass(frozen=True)
class BulkSeedResult:
    report: SeedReport
    seconds: float
    peak_rss_mib: float  # of this process, since it started


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def seed_bulk(database_url: str, settings: BulkSettings, ca: TestCA, *, master_key: bytes,
              chunk_size: int = DEFAULT_CHUNK, today: date | None = None,
              progress: bool = False) -> BulkSeedResult:
    started = time.monotonic()
    upgrade_to_head(database_url, master_key=master_key)
    database = Database(database_url, master_key=master_key)

    def report(done: int) -> None:
        if progress:
            print(f"  {done:>9} certificates  {time.monotonic() - started:7.1f} s  "
                  f"peak RSS {peak_rss_mib():.0f} MiB", file=sys.stderr, flush=True)

    try:
        chunks = ((p.scenario, p.ders) for p in iter_population(
            settings, ca, chunk_size=chunk_size, today=today))
        result = seed_in_chunks(database, chunks, ca, on_chunk=report)
    finally:
        database.dispose()
    return BulkSeedResult(result, time.monotonic() - started, peak_rss_mib())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m emulator.personas.bulk_seed",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, required=True, help="certificates")
    parser.add_argument("--database-url", required=True,
                        help="e.g. sqlite:////tmp/big.db or postgresql+psycopg://…")
    parser.add_argument("--ca", type=Path, required=True,
                        help="test CA directory (created when missing)")
    parser.add_argument("--chunk", type=int, default=DEFAULT_CHUNK,
                        help="certificates per transaction")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    master_key_hex = os.environ.get("SZCA_UNLOCK_MASTER_KEY", "")
    if len(master_key_hex) != 64:
        parser.error("set SZCA_UNLOCK_MASTER_KEY (64 hex digits): the master key of the "
                     "service that will read this database")
    settings = replace(BulkSettings(), count=args.count, seed=args.seed)
    result = seed_bulk(args.database_url, settings, TestCA.load_or_create(args.ca),
                       master_key=bytes.fromhex(master_key_hex), chunk_size=args.chunk,
                       progress=True)
    print(f"seeded {result.report.certificates} certificates in {result.seconds:.1f} s "
          f"({result.report.certificates / max(result.seconds, 1e-9):.0f}/s), "
          f"peak RSS {result.peak_rss_mib:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
