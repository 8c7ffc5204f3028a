"""``szca-load``: run a load profile against the emulated world, or summarise a run.

    szca-load run smoke                 # every user class, ≤ 60 s, fails on any failure
    szca-load run ramp --workers 2      # a master and 2 workers on loopback
    szca-load run pcsc                  # 2 PER-RT users on the real pcscd + vpcd path
    szca-load run ramp --master-bind-host 0.0.0.0 --master-bind-port 5557 \
        --world-host 10.0.0.5 --remote-workers 2   # workers of other machines join
    szca-load worker ramp --master-host 10.0.0.5 --master-port 5557 --partition 0/2 \
        --world world.json                          # on another machine
    szca-load run smoke --home /tmp/world     # drive the world szca-emulator up runs there
    szca-load summary reports/load/ramp-…/ramp
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from load.distributed import MasterOptions, local_manifest, partition_env, worker_args
from load.manifest import WORLD_ENV, parse_partition
from load.profiles import ALL_CLASSES, PROFILES, READER_CLASSES, Profile
from load.runner import LOCUSTFILE, locust_env, run_profile
from load.summary import render_markdown, summarise
from load.world import NoRunningWorld


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
    run.add_argument("--home", type=Path, default=None,
                     help="drive the world szca-emulator up runs in this SZCA_HOME (its "
                          "population is added to that world) instead of starting one")
    run.add_argument("--master-bind-host", default="127.0.0.1",
                     help="address the Locust master listens on for workers")
    run.add_argument("--master-bind-port", type=int, default=0,
                     help="port the Locust master listens on (default: a free one)")
    run.add_argument("--remote-workers", type=int, default=0,
                     help="workers that join from other machines (szca-load worker); they "
                          "take the partitions after the --workers started here")
    run.add_argument("--world-host", default="127.0.0.1",
                     help="address the world's mock and service listen on (one the remote "
                          "workers reach)")
    run.add_argument("--trusted-proxies", default="",
                     help="the load machines' addresses/networks: the service believes their "
                          "X-Forwarded-For (each persona keeps its own address)")
    worker = sub.add_parser("worker", help="join a master from this machine")
    worker.add_argument("profile", choices=sorted(PROFILES))
    worker.add_argument("--master-host", required=True)
    worker.add_argument("--master-port", type=int, required=True)
    worker.add_argument("--partition", required=True, type=_partition,
                        help="k/N: this worker's share of the population (the master prints it)")
    worker.add_argument("--world", type=Path, required=True,
                        help="a copy of the run's world/world.json")
    worker.add_argument("--population", dest="population_file", type=Path,
                        help="a copy of world/population.pickle (default: beside --world)")
    worker.add_argument("--service-url", default="",
                        help="the service as this machine reaches it (default: world.json's)")
    worker.add_argument("--mock-url", default="",
                        help="the mock providers as this machine reaches them")
    worker.add_argument("--classes", help="comma-separated user classes (the master's)")
    summary = sub.add_parser("summary", help="summarise the CSV files of a finished run")
    summary.add_argument("prefix", type=Path, help="the --csv prefix (…/<profile>)")
    summary.add_argument("--duration", type=float, required=True)
    return parser


def _partition(raw: str) -> str:
    try:
        parse_partition(raw)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return raw


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "summary":
        print(render_markdown(summarise(args.prefix, args.duration), str(args.prefix)))
        return 0
    if args.command == "worker":
        return run_worker(args)
    profile = _profile(args)
    try:
        master = MasterOptions(args.workers, args.remote_workers, args.master_bind_host,
                               args.master_bind_port)
    except ValueError as exc:
        raise SystemExit(f"szca-load: {exc}") from exc
    options: dict[str, Any] = {
        "workers": master,
        "database_url": args.database_url, "world_host": args.world_host,
        "trusted_proxies": args.trusted_proxies, "home": args.home}
    if args.home is not None and (profile.card_readers or args.database_url
                                  or args.trusted_proxies or args.world_host != "127.0.0.1"):
        raise SystemExit("szca-load: --home drives a running world as it is: no "
                         "--database-url, --trusted-proxies, --world-host or card-reader "
                         f"profile ({profile.name})")
    if args.reports:
        options["reports"] = args.reports
    try:
        result = run_profile(profile, **options)
    except NoRunningWorld as exc:
        raise SystemExit(f"szca-load: {exc}") from exc
    print((result.directory / "summary.md").read_text(encoding="utf-8"))
    print(f"reports: {result.directory}")
    for problem in result.problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 0 if result.passed else 1


def run_worker(args: argparse.Namespace) -> int:
    """``locust --worker`` for this machine's partition, until the master stops it."""
    profile = _profile(args)
    with tempfile.TemporaryDirectory(prefix="szca-load-worker-") as directory:
        try:
            manifest = local_manifest(args.world, args.population_file, Path(directory),
                                      service_url=args.service_url, mock_url=args.mock_url)
        except (OSError, ValueError, TypeError) as exc:
            raise SystemExit(f"szca-load worker: {exc}") from exc
        env = locust_env(profile, **{WORLD_ENV: str(manifest)},
                         **partition_env(args.partition))
        command = worker_args(LOCUSTFILE, args.master_host, args.master_port,
                              profile.classes)
        return subprocess.run(command, env=env, check=False).returncode


def _profile(args: argparse.Namespace) -> Profile:
    profile = PROFILES[args.profile].with_overrides(getattr(args, "users", None),
                                                    getattr(args, "duration", None))
    if getattr(args, "population", None):  # run only: certificates to generate
        profile = replace(profile, population=args.population)
    if args.classes:
        classes = tuple(args.classes.split(","))
        known = ALL_CLASSES + (READER_CLASSES if profile.card_readers else ())
        unknown = set(classes) - set(known)
        if unknown:
            raise SystemExit(f"unknown user classes {sorted(unknown)}; known: {known}")
        profile = replace(profile, classes=classes)
    return profile


if __name__ == "__main__":
    sys.exit(main())
