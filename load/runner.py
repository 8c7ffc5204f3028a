"""Run a profile: start the world, run Locust headless (alone, or a master and N workers
on loopback), write the HTML + CSV reports and the summary under ``reports/load/``."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from emulator.mock_providers.server import free_port
from emulator.package_files import package_file
from emulator.personas.bulk import BulkSettings
from emulator.scenarios import LOAD_SCENARIO
from load.distributed import (
    WILDCARDS,
    MasterOptions,
    join_commands,
    master_args,
    partition_env,
    worker_args,
)
from load.manifest import WORLD_ENV
from load.plans import SHAPE_ENV
from load.profiles import Profile
from load.summary import CpuShares, Summary, render_markdown, summarise
from load.world import LoadWorld, RunningWorld, WorldOptions, cpu_seconds, stop_process

LOCUSTFILE = package_file("load", "locustfile.py")
REPORTS = Path("reports") / "load"  # under the directory the run starts in
REMOTE_JOIN_S = 600  # how long a run waits, beyond its shape, for workers of other machines


@dataclass(frozen=True)
class RunResult:
    directory: Path
    summary: Summary
    locust_exit: int
    problems: list[str]

    @property
    def passed(self) -> bool:
        return not self.problems


def _locust_args(profile: Profile, host: str, prefix: Path, locustfile: Path) -> list[str]:
    return [sys.executable, "-m", "locust", "-f", str(locustfile), "--headless",
            "--host", host, "--csv", str(prefix), "--csv-full-history",
            "--html", f"{prefix}.html", "--stop-timeout", str(profile.stop_timeout_s),
            "--loglevel", "WARNING", "--only-summary", *profile.classes]


def locust_env(profile: Profile, **extra: str) -> dict[str, str]:
    """The Locust processes' environment: this one's, the plan and ``extra``."""
    return {**os.environ, SHAPE_ENV: profile.shape_json(), "SZCA_LOAD_THINK": profile.think,
            "SZCA_LOAD_FIXED": str(profile.fixed_per_class), **extra}


def run_locust(profile: Profile, host: str, prefix: Path, env: dict[str, str],
               workers: int | MasterOptions, log_path: Path,
               locustfile: Path = LOCUSTFILE) -> int:
    """Locust until the shape stops it; a deadline guards against a hung run. ``workers``:
    0 (one process), N (a master and N workers on loopback) or the master's options."""
    master = workers if isinstance(workers, MasterOptions) else MasterOptions(workers)
    deadline = profile.duration_s + profile.stop_timeout_s + 60
    if master.remote_workers:
        deadline += REMOTE_JOIN_S
    args = _locust_args(profile, host, prefix, locustfile)
    processes: list[subprocess.Popen[bytes]] = []
    with log_path.open("ab") as out:
        if master.distributed:
            port = master.bind_port or free_port()
            main = subprocess.Popen([*args, *master_args(master, port)], env=env, stdout=out,
                                    stderr=subprocess.STDOUT)
            join = "127.0.0.1" if master.bind_host in WILDCARDS else master.bind_host
            for k in range(master.local_workers):
                processes.append(subprocess.Popen(
                    worker_args(locustfile, join, port, profile.classes),
                    env={**env, **partition_env(master.partition(k))}, stdout=out,
                    stderr=subprocess.STDOUT))
            for command in join_commands(profile.name, master.bind_host, port, master,
                                         ["--classes", ",".join(profile.classes)]):
                print(f"waiting for a worker: {command}", file=sys.stderr, flush=True)
        else:
            main = subprocess.Popen(args, env=env, stdout=out,
                                    stderr=subprocess.STDOUT)
        try:
            return main.wait(timeout=deadline)
        except subprocess.TimeoutExpired:
            stop_process(main)
            return -1
        finally:
            for worker in processes:
                try:
                    worker.wait(timeout=15)  # workers quit when the master says so
                except subprocess.TimeoutExpired:
                    stop_process(worker)


def check(profile: Profile, summary: Summary) -> list[str]:
    """What makes a run fail: any failure (strict profiles) or any 5xx / undesigned error."""
    problems = []
    if profile.strict and summary.failures:
        problems.append(f"{summary.failures} failed requests")
    elif summary.undesigned_failures:
        problems.append(f"{summary.undesigned_failures} failures that are not designed 429s")
    failed_flows = [f.name for f in summary.flows if f.failed]
    if profile.strict and failed_flows:
        problems.append(f"failed flows: {failed_flows}")
    elif summary.undesigned_flow_failures:
        problems.append(f"{summary.undesigned_flow_failures} failed flows that did not end "
                        f"on a designed 429: {sorted(summary.errors_by_flow)}")
    if profile.strict:
        done = {f.name for f in summary.flows if f.completed}
        if not summary.unlocks_completed:
            problems.append("no unlock completed")
        if len(done) < len(profile.classes):
            problems.append(f"only {len(done)} flow kinds completed for "
                            f"{len(profile.classes)} user classes: {sorted(done)}")
    return problems


def _children_cpu() -> float:
    """CPU seconds of this process's finished, waited-for children: after ``run_locust``,
    the Locust processes (the mock and the service are still running)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_profile(profile: Profile, *, workers: int | MasterOptions = 0,
                database_url: str = "", reports: Path = REPORTS,
                probe: Callable[[LoadWorld], None] | None = None,
                world_host: str = "127.0.0.1", trusted_proxies: str = "",
                home: Path | None = None) -> RunResult:
    """``probe`` sees the world after Locust stopped and before the world does (memory).
    ``world_host``: where the mock and the service listen (reachable by remote workers).
    ``home``: drive the world ``szca-emulator up`` runs there instead of starting one."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    master = workers if isinstance(workers, MasterOptions) else MasterOptions(workers)
    workers = master.total
    directory = reports / f"{profile.name}-{stamp}{f'-w{workers}' if workers else ''}"
    directory.mkdir(parents=True, exist_ok=True)
    bulk = BulkSettings.from_yaml(LOAD_SCENARIO)
    settings = BulkSettings(**{**bulk.__dict__, "count": profile.population})
    prefix = directory / profile.name
    world: LoadWorld | RunningWorld
    if home is not None:
        if profile.card_readers or probe is not None:
            raise ValueError(f"profile {profile.name} starts its own world (card readers)")
        world = RunningWorld(home, directory / "world", settings)
    else:
        world = LoadWorld(WorldOptions(directory / "world", settings, database_url,
                                       card_readers=profile.card_readers, host=world_host,
                                       trusted_proxies=trusted_proxies))
    with world:
        env = locust_env(profile, **{WORLD_ENV: str(world.manifest_path)}, **world.pcsc_env())
        service_before = cpu_seconds(world.manifest.service_pid)
        children_before = _children_cpu()
        started = time.monotonic()
        code = run_locust(profile, world.manifest.service_url, prefix, env, master,
                          directory / "locust.log")
        elapsed = time.monotonic() - started
        cpu = CpuShares(elapsed, os.cpu_count() or 1, _children_cpu() - children_before,
                        cpu_seconds(world.manifest.service_pid) - service_before)
        if probe is not None and isinstance(world, LoadWorld):
            probe(world)
    summary = replace(summarise(prefix, min(elapsed, profile.duration_s)), cpu=cpu)
    (directory / "summary.json").write_text(summary.to_json(), encoding="utf-8")
    (directory / "summary.md").write_text(
        render_markdown(summary, f"Load profile {profile.name} ({stamp}, workers: {workers})"),
        encoding="utf-8")
    problems = check(profile, summary) + ([] if code >= 0 else ["locust did not stop in time"])
    return RunResult(directory, summary, code, problems)
