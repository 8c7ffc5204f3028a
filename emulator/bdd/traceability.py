"""The traceability gate: every step ID of flows.md tags at least one scenario; every
scenario carries at least one step ID and checks something (a 那么 step); every tag on a
scenario is a known step ID or one of the few operational tags.

Console entry: ``szca-trace`` → :func:`main`. Exit 0 when complete, 1 when anything above is
violated (each problem named with its file and line), 2 when the inputs cannot be read.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .gherkin_scan import TaggedScenario, scan_features

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# The source of truth is the workspace's shared flows.md; docs/flows.md is the committed copy
# for a checkout without it (a test keeps the two identical where both exist).
FLOWS_CANDIDATES = (PROJECT_ROOT.parent / "shared" / "docs" / "flows.md",
                    PROJECT_ROOT / "docs" / "flows.md")
FEATURES_DIR = PROJECT_ROOT / "features"

# A step ID as flows.md writes it to open a bullet: **C-1 网厅登录**, **ORG-RT-6a 手机实名**.
_FLOW_BULLET = re.compile(
    r"^\s*[-*]\s+\*\*(?P<id>[A-Z]+(?:-[A-Z]+)*-\d+[a-z]?)\b(?P<rest>[^*]*)\*\*")
# Anything shaped like a step ID (so a typo such as @ORG-RT-10 is "unknown", not "operational").
ID_SHAPE = re.compile(r"^[A-Z]+(?:-[A-Z]+)*-\d+[a-z]?$")
# Tags with an operational meaning for the runner (see docs/bdd.md).
OPERATIONAL_TAGS = frozenset({"clock", "smoke", "slow", "pcsc", "ui"})
_TITLE_MAX = 36


@dataclass(frozen=True)
class FlowStep:
    id: str
    title: str
    line: int


@dataclass
class TraceReport:
    steps: list[FlowStep]
    coverage: dict[str, list[TaggedScenario]]  # every step ID, in flows.md order
    unknown: dict[str, list[TaggedScenario]] = field(default_factory=dict)
    untagged: list[TaggedScenario] = field(default_factory=list)  # no step-ID tag
    no_outcome: list[TaggedScenario] = field(default_factory=list)  # no 那么 step
    flows_file: str = "flows.md"

    @property
    def missing(self) -> list[str]:
        return [step_id for step_id, found in self.coverage.items() if not found]

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unknown or self.untagged or self.no_outcome)


def _title(bold_rest: str, after: str) -> str:
    """The bold title (C-1 网厅登录) or else the first clause of the description, shortened."""
    text = bold_rest.strip() or re.split(r"[.;](?:\s|$)", after.strip(" —-"))[0]
    return text if len(text) <= _TITLE_MAX else text[: _TITLE_MAX - 1] + "…"


def parse_flow_steps(text: str) -> list[FlowStep]:
    """The step IDs of flows.md in document order; a duplicated ID is an error in the document."""
    steps: list[FlowStep] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        match = _FLOW_BULLET.match(line)
        if not match:
            continue
        step_id = match["id"]
        if step_id in seen:
            raise ValueError(f"flows.md line {number}: step ID {step_id} appears twice")
        seen.add(step_id)
        steps.append(FlowStep(step_id, _title(match["rest"], line[match.end():]), number))
    return steps


def trace(steps: Sequence[FlowStep], scenarios: Iterable[TaggedScenario],
          allowed_tags: frozenset[str] = OPERATIONAL_TAGS,
          flows_file: str = "flows.md") -> TraceReport:
    known = {s.id for s in steps}
    report = TraceReport(list(steps), {s.id: [] for s in steps}, flows_file=flows_file)
    for scenario in scenarios:
        for tag in sorted(scenario.tags):
            if tag in known:
                report.coverage[tag].append(scenario)
            elif tag not in allowed_tags or ID_SHAPE.match(tag):
                report.unknown.setdefault(tag, []).append(scenario)
        if not scenario.tags & known:
            report.untagged.append(scenario)
        if not scenario.has_outcome:
            report.no_outcome.append(scenario)
    return report


def default_flows_path() -> Path:
    for candidate in FLOWS_CANDIDATES:
        if candidate.is_file():
            return candidate
    return FLOWS_CANDIDATES[-1]


def check(flows_path: Path | None = None, features_dir: Path | None = None,
          allowed_tags: frozenset[str] = OPERATIONAL_TAGS) -> TraceReport:
    """Run the gate on files; ``OSError`` when flows.md cannot be read."""
    flows = flows_path or default_flows_path()
    steps = parse_flow_steps(flows.read_text(encoding="utf-8"))
    if not steps:
        raise ValueError(f"{flows}: no step IDs found (expected bullets like '- **C-1 ...**')")
    return trace(steps, scan_features(features_dir or FEATURES_DIR), allowed_tags, str(flows))


def coverage_table(report: TraceReport) -> str:
    """Markdown: step ID → number of scenarios → the scenarios (feature file:line)."""
    rows = ["| 步骤 ID | 说明 | 场景数 | 场景 |", "|---|---|---:|---|"]
    for step in report.steps:
        found = report.coverage[step.id]
        names = "<br>".join(f"{_cell(s.label)} (`{Path(s.location).name}`)"
                            for s in found)
        rows.append(f"| {step.id} | {_cell(step.title)} | {len(found)} | {names or '**缺失**'} |")
    return "\n".join(rows)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def problems(report: TraceReport) -> list[str]:
    lines_of = {s.id: s.line for s in report.steps}
    lines = [f"{report.flows_file}:{lines_of[step_id]}: step ID {step_id} has no scenario"
             for step_id in report.missing]
    for tag, where in sorted(report.unknown.items()):
        places = ", ".join(s.location for s in where)
        lines.append(f"unknown tag @{tag} (not a step ID of flows.md) at {places}")
    lines += [f"{s.location}: scenario 「{s.label}」 has no step-ID tag (e.g. @C-1)"
              for s in report.untagged]
    lines += [f"{s.location}: scenario 「{s.label}」 has no 那么 step (it checks nothing)"
              for s in report.no_outcome]
    return lines


def as_json(report: TraceReport) -> str:
    return json.dumps({
        "ok": report.ok,
        "missing": report.missing,
        "unknown": {tag: [s.location for s in where] for tag, where in report.unknown.items()},
        "untagged": [s.location for s in report.untagged],
        "no_outcome": [s.location for s in report.no_outcome],
        "coverage": {step_id: [{"scenario": s.label, "location": s.location} for s in found]
                     for step_id, found in report.coverage.items()},
    }, ensure_ascii=False, indent=2)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="szca-trace", description="Check that every step ID of flows.md tags a scenario.")
    parser.add_argument("--flows", type=Path, default=None,
                        help="flows.md (default: ../shared/docs/flows.md, else docs/flows.md)")
    parser.add_argument("--features", type=Path, default=FEATURES_DIR,
                        help="directory of *.feature files (default: features/)")
    parser.add_argument("--format", choices=("markdown", "json"), default="markdown")
    parser.add_argument("--allow-tag", action="append", default=[], metavar="TAG",
                        help="another operational tag to accept (repeatable)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no table, problems only")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        report = check(args.flows, args.features, OPERATIONAL_TAGS | frozenset(args.allow_tag))
    except (OSError, ValueError) as exc:
        print(f"szca-trace: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        print(as_json(report) if args.format == "json" else coverage_table(report))
    covered = len(report.steps) - len(report.missing)
    for line in problems(report):
        print(f"szca-trace: {line}", file=sys.stderr)
    print(f"szca-trace: {covered}/{len(report.steps)} step IDs covered, "
          f"{len(report.unknown)} unknown tag(s), {len(report.untagged)} scenario(s) without "
          f"a step ID, {len(report.no_outcome)} without a 那么 step: "
          f"{'OK' if report.ok else 'FAILED'}", file=sys.stderr)
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
