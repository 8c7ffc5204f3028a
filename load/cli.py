"""``szca-load``: run a load profile against the emulated world, or summarise a run.

    szca-load run smoke                 # every user class, ≤ 60 s, fails on any failure
    szca-load run ramp --workers 2      # a master and 2 workers on loopback
    szca-load run pcsc                  # 2 PER-RT users on the real pcscd + vpcd path
    szca-load summary reports/load/ramp-…/ramp
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from load.profiles import ALL_CLASSES, PROFILES, READER_CLASSES
from load.runner import run_profile
from load.summary import render_markdown, summarise


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="szca-load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start the world and run a profile headless")
    run.add_argument("profile", choices=sorted(PROFILES))
    run.add_argument("--workers", type=int, default=0,
                     help="Locust workers (0: one local process; N: master + N workers)")
    run.add_argument("--users", type=int, help="override the profile's (peak) user count")
    run.add_argument("--duration", type=float, help="override the profile's duration (s)")
    run.add_argument("--population", type=int, help="certificates to generate")
    run.add_argument("--classes", help="comma-separated user classes (default: the profile's)")
    run.add_argument("--database-url", default="",
                     help="service database (default: SQLite in the run directory), e.g. "
                          "postgresql+psycopg://szca:…@127.0.0.1/szca_load")
    run.add_argument("--reports", type=Path, default=None, help="default: reports/load/")
    summary = sub.add_parser("summary", help="summarise the CSV files of a finished run")
    summary.add_argument("prefix", type=Path, help="the --csv prefix (…/<profile>)")
    summary.add_argument("--duration", type=float, required=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "summary":
        print(render_markdown(summarise(args.prefix, args.duration), str(args.prefix)))
        return 0
    profile = PROFILES[args.profile].with_overrides(args.users, args.duration)
    if args.population:
        profile = replace(profile, population=args.population)
    if args.classes:
        classes = tuple(args.classes.split(","))
        known = ALL_CLASSES + (READER_CLASSES if profile.card_readers else ())
        unknown = set(classes) - set(known)
        if unknown:
            raise SystemExit(f"unknown user classes {sorted(unknown)}; known: {known}")
        profile = replace(profile, classes=classes)
    options = {"workers": args.workers, "database_url": args.database_url}
    if args.reports:
        options["reports"] = args.reports
    result = run_profile(profile, **options)
    print((result.directory / "summary.md").read_text(encoding="utf-8"))
    print(f"reports: {result.directory}")
    for problem in result.problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 0 if result.passed else 1


if __name__ == "__main__":
    sys.exit(main())
