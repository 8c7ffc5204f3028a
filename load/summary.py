"""The report of a run from Locust's CSV files: unlocks completed per second, errors by
step (designed 429s apart from real failures), p50/p95/p99 per step, and, for ramps, the
completion rate at each user level (where the service saturates)."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

FLOW = "FLOW"
UNLOCKED_MARK = "unlocked"
DESIGNED_MARK = "[designed]"  # how load.transport.ServiceCallFailed marks designed 429s


@dataclass(frozen=True)
class StepLatency:
    step: str
    method: str
    route: str
    requests: int
    failures: int
    p50_ms: float
    p95_ms: float
    p99_ms: float


@dataclass(frozen=True)
class FlowCount:
    name: str
    completed: int
    failed: int
    p50_ms: float
    p95_ms: float


@dataclass(frozen=True)
class LevelRate:
    users: int
    seconds: float
    unlocks_per_s: float
    requests_per_s: float


@dataclass(frozen=True)
class CpuShares:
    """Where the machine's CPU went during the run: the load generator (every Locust
    process) and the service. A generator share near the service's means the generator
    competes for the same cores and may be the bottleneck."""

    seconds: float
    cores: int
    generator_s: float
    service_s: float

    def share(self, cpu_s: float) -> float:
        return cpu_s / (self.seconds * self.cores) if self.seconds > 0 else 0.0


@dataclass
class Summary:
    duration_s: float
    unlocks_completed: int
    unlocks_per_s: float
    requests: int
    failures: int
    designed_429: int
    flows: list[FlowCount] = field(default_factory=list)
    steps: list[StepLatency] = field(default_factory=list)
    errors_by_step: dict[str, dict[str, int]] = field(default_factory=dict)
    levels: list[LevelRate] = field(default_factory=list)
    # Failed visits, whatever failed: a service answer, a dropped connection, the mock's
    # control API, the card, an account that could not be leased.
    flow_failures: int = 0
    designed_flow_failures: int = 0  # visits ended by a designed 429
    errors_by_flow: dict[str, dict[str, int]] = field(default_factory=dict)
    cpu: CpuShares | None = None

    @property
    def undesigned_failures(self) -> int:
        return self.failures - self.designed_429

    @property
    def undesigned_flow_failures(self) -> int:
        return self.flow_failures - self.designed_flow_failures

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "undesigned_failures": self.undesigned_failures,
                           "undesigned_flow_failures": self.undesigned_flow_failures},
                          ensure_ascii=False, indent=1)


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _num(value: str | None) -> float:
    try:
        return float(value or 0)
    except ValueError:  # Locust writes "N/A" for empty percentiles
        return 0.0


def split_name(name: str) -> tuple[str, str]:
    """``"PER-RT-5 /api/orders/{no}/verifications/identity"`` → (step, route)."""
    step, _, route = name.partition(" ")
    return (step, route) if route.startswith("/") else ("-", name)


def _levels(history: list[dict[str, str]]) -> list[LevelRate]:
    """Completion rate per user count, from the cumulative counters of the full history."""
    marks: dict[int, dict[str, list[tuple[float, float]]]] = defaultdict(
        lambda: defaultdict(list))
    for row in history:
        users, ts = int(_num(row.get("User Count"))), _num(row.get("Timestamp"))
        done = _num(row.get("Total Request Count")) - _num(row.get("Total Failure Count"))
        if row.get("Type") == FLOW and UNLOCKED_MARK in row.get("Name", ""):
            marks[users][row["Name"]].append((ts, done))
        elif row.get("Name") == "Aggregated":
            marks[users]["*"].append((ts, _num(row.get("Total Request Count"))))
    levels = []
    for users in sorted(marks):
        series = marks[users]
        total = series.get("*", [])
        if users == 0 or len(total) < 2:
            continue
        seconds = total[-1][0] - total[0][0]
        if seconds <= 0:
            continue
        unlocks = sum(points[-1][1] - points[0][1] for name, points in series.items()
                      if name != "*" and len(points) > 1)
        levels.append(LevelRate(users, seconds, unlocks / seconds,
                                (total[-1][1] - total[0][1]) / seconds))
    return levels


def summarise(prefix: Path, duration_s: float) -> Summary:
    """Read ``<prefix>_stats.csv``, ``_failures.csv`` and ``_stats_history.csv``."""
    stats = _rows(Path(f"{prefix}_stats.csv"))
    failures = _rows(Path(f"{prefix}_failures.csv"))
    flows, steps = [], []
    requests = failed = 0
    for row in stats:
        if row.get("Name") == "Aggregated":
            continue
        count, fails = int(_num(row["Request Count"])), int(_num(row["Failure Count"]))
        if row["Type"] == FLOW:
            flows.append(FlowCount(row["Name"], count - fails, fails, _num(row["50%"]),
                                   _num(row["95%"])))
            continue
        requests, failed = requests + count, failed + fails
        step, route = split_name(row["Name"])
        steps.append(StepLatency(step, row["Type"], route, count, fails, _num(row["50%"]),
                                 _num(row["95%"]), _num(row["99%"])))
    errors: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    flow_errors: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    designed = designed_flows = 0
    for row in failures:
        occurrences = int(_num(row["Occurrences"]))
        if row["Method"] == FLOW:
            flow_errors[row["Name"]][row["Error"]] += occurrences
            if DESIGNED_MARK in row["Error"]:
                designed_flows += occurrences
            continue
        step, route = split_name(row["Name"])
        errors[step][f"{row['Method']} {route}: {row['Error']}"] += occurrences
        if DESIGNED_MARK in row["Error"]:
            designed += occurrences
    unlocks = sum(f.completed for f in flows if UNLOCKED_MARK in f.name)
    return Summary(
        duration_s=duration_s, unlocks_completed=unlocks,
        unlocks_per_s=unlocks / duration_s if duration_s > 0 else 0.0,
        requests=requests, failures=failed, designed_429=designed,
        flows=sorted(flows, key=lambda f: f.name), steps=steps,
        errors_by_step={k: dict(v) for k, v in errors.items()},
        flow_failures=sum(f.failed for f in flows), designed_flow_failures=designed_flows,
        errors_by_flow={k: dict(v) for k, v in flow_errors.items()},
        levels=_levels(_rows(Path(f"{prefix}_stats_history.csv"))))


def _cpu_lines(cpu: CpuShares | None) -> list[str]:
    if cpu is None:
        return []
    return [f"- CPU over {cpu.seconds:.0f} s on {cpu.cores} cores: load generator "
            f"{cpu.generator_s:.1f} s ({cpu.share(cpu.generator_s):.0%} of the machine), "
            f"service {cpu.service_s:.1f} s ({cpu.share(cpu.service_s):.0%})"]


def render_markdown(summary: Summary, title: str) -> str:
    lines = [f"# {title}", "",
             f"- duration: {summary.duration_s:.1f} s",
             f"- unlocks completed: {summary.unlocks_completed} "
             f"({summary.unlocks_per_s:.2f}/s)",
             f"- service requests: {summary.requests}, failures: {summary.failures} "
             f"(designed 429: {summary.designed_429}, other: {summary.undesigned_failures})",
             f"- flows failed: {summary.flow_failures} (ended by a designed 429: "
             f"{summary.designed_flow_failures}, other: {summary.undesigned_flow_failures})",
             *_cpu_lines(summary.cpu),
             "", "## Flows", "", "| flow | completed | failed | p50 ms | p95 ms |",
             "|---|---:|---:|---:|---:|"]
    lines += [f"| {f.name} | {f.completed} | {f.failed} | {f.p50_ms:.0f} | {f.p95_ms:.0f} |"
              for f in summary.flows]
    lines += ["", "## Per step", "", "| step | method | route | requests | failures | p50 ms "
              "| p95 ms | p99 ms |", "|---|---|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {s.step} | {s.method} | {s.route} | {s.requests} | {s.failures} | "
              f"{s.p50_ms:.0f} | {s.p95_ms:.0f} | {s.p99_ms:.0f} |" for s in summary.steps]
    lines += ["", "## Errors by step", ""]
    if not summary.errors_by_step:
        lines.append("none")
    for step, errors in sorted(summary.errors_by_step.items()):
        lines += [f"- **{step}**"] + [f"  - {n} × {e}" for e, n in sorted(errors.items())]
    lines += ["", "## Errors by flow", ""]
    if not summary.errors_by_flow:
        lines.append("none")
    for flow, errors in sorted(summary.errors_by_flow.items()):
        lines += [f"- **{flow}**"] + [f"  - {n} × {e}" for e, n in sorted(errors.items())]
    if summary.levels:
        lines += ["", "## By user level", "", "| users | seconds | unlocks/s | requests/s |",
                  "|---:|---:|---:|---:|"]
        lines += [f"| {lv.users} | {lv.seconds:.0f} | {lv.unlocks_per_s:.2f} | "
                  f"{lv.requests_per_s:.1f} |" for lv in summary.levels]
    return "\n".join(lines) + "\n"
