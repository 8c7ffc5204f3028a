"""Full unlock flows per second against a bare FastAPI endpoint, under the same Locust
settings, in one invocation; then the service's memory after that run (a short soak).

    .venv/bin/python benchmarks/bench_unlock_flow.py [--users 10] [--duration 30]

Both apps run in their own process under ``python -m load.serve`` (same uvicorn settings);
Locust drives them with the same transport (httpx, one loopback address per user), the same
constant shape and no think time. The flow is PER-RT (face 6 : carrier 3 : bank 1) from SMS
login to the unlocked in-process card (load/users.py ``PersonalRealtimeUser``).
Printed: flow-completions/s ÷ hello requests/s, and service requests/s ÷ hello requests/s
(per-request ratio), with p50 latencies, and the service's RSS before and after.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from emulator.mock_providers.server import free_port
from emulator.servers import start_server
from emulator.virtual_ukey import processes
from load.plans import Constant
from load.profiles import Profile
from load.runner import REPORTS, locust_env, run_locust, run_profile
from load.summary import Summary, summarise
from load.world import LoadWorld, rss_kib

ROOT = Path(__file__).resolve().parents[1]


def bench_profile(users: int, duration_s: float) -> Profile:
    return Profile("bench", Constant(users=users, duration_s=duration_s, ramp_s=1),
                   population=5000, think="0,0", classes=("PersonalRealtimeUser",),
                   stop_timeout_s=10)


def run_hello(profile: Profile, directory: Path) -> Summary:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_server(["-m", "load.serve", "--app", "hello", "--port", str(port)],
                          f"{url}/api/hello", directory / "hello-server.log",
                          locust_env(profile))
    try:
        hello = replace(profile, classes=("HelloUser",))
        run_locust(hello, url, directory / "hello", locust_env(hello), 0,
                   directory / "hello-locust.log", ROOT / "load" / "locustfile_baseline.py")
    finally:
        processes.stop(server)
    return summarise(directory / "hello", profile.duration_s)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--duration", type=float, default=30.0)
    args = parser.parse_args(argv)
    profile = bench_profile(args.users, args.duration)
    REPORTS.mkdir(parents=True, exist_ok=True)
    directory = Path(tempfile.mkdtemp(prefix="bench-", dir=REPORTS))
    hello = run_hello(profile, directory)
    memory: dict[str, int] = {}

    def measure(world: LoadWorld) -> None:
        memory["after"] = rss_kib(world.manifest.service_pid)

    flow = run_profile(profile, reports=directory, probe=measure)
    service = flow.summary
    hello_rps = hello.requests / hello.duration_s
    flows_ps = service.unlocks_per_s
    service_rps = service.requests / service.duration_s
    hello_p50 = hello.steps[0].p50_ms if hello.steps else 0.0
    flow_p50 = service.flows[0].p50_ms if service.flows else 0.0
    print(f"settings: {args.users} users, {args.duration:.0f} s each, no think time, "
          f"constant shape, 1 Locust process, 1 uvicorn worker per app")
    print(f"hello:  {hello_rps:8.1f} req/s   p50 {hello_p50:.0f} ms   failures {hello.failures}")
    print(f"flow:   {flows_ps:8.2f} unlocks/s  p50 {flow_p50:.0f} ms per flow   "
          f"{service_rps:.1f} service req/s   failures {service.failures}")
    print(f"ratio flow-completions/s ÷ hello req/s: {flows_ps / hello_rps:.4f} "
          f"(1 unlock ≈ {hello_rps / flows_ps if flows_ps else float('inf'):.0f} hello requests)")
    print(f"ratio per request (service req/s ÷ hello req/s): {service_rps / hello_rps:.3f}")
    rss_mib = memory.get("after", 0) / 1024
    print(f"service RSS after {args.duration:.0f} s of flows: {rss_mib:.0f} MiB")
    print(f"reports: {directory}")
    return 0 if service.failures == 0 and hello.failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
