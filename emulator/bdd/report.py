"""A Markdown summary by step ID from pytest-bdd's cucumber JSON and the traceability gate.

pytest-bdd does not put the tags of an outline's ``例子`` block into the cucumber JSON, so
results are matched to the gate's scenarios by feature file, scenario line and, for outline
rows, pytest's parameter id (the row's cells joined by "-").

Run: ``python -m emulator.bdd.report --cucumber reports/cucumber.json --out reports/bdd-summary.md``
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NotRequired

from pydantic import TypeAdapter
from typing_extensions import TypedDict  # pydantic validates only this one on 3.11

from .gherkin_scan import TaggedScenario
from .traceability import FEATURES_DIR, TraceReport, check

_PARAM = re.compile(r"\[(?P<param>.*)\]$")
STATUS_ICON = {"passed": "✅", "failed": "❌", "skipped": "⏭", "not run": "⚪"}


@dataclass(frozen=True)
class ScenarioResult:
    feature_file: str  # base name, e.g. org_realtime.feature
    line: int  # the scenario's (or outline's) line
    name: str
    param_id: str | None
    status: str  # passed | failed | skipped
    duration_s: float


def _unescape(param_id: str) -> str:
    """pytest writes non-ASCII parameter ids as ``\\uXXXX`` escapes; undo that."""
    if "\\u" not in param_id and "\\x" not in param_id:
        return param_id
    return param_id.encode("ascii", "backslashreplace").decode("unicode_escape")


class _StepResult(TypedDict):
    status: str
    duration: NotRequired[float]  # nanoseconds


class _CucumberStep(TypedDict):
    result: NotRequired[_StepResult]


class _CucumberElement(TypedDict):
    """One scenario run (an outline row has its parameter id in ``id``)."""

    id: NotRequired[str]
    line: int
    name: str
    steps: NotRequired[list[_CucumberStep]]


class _CucumberFeature(TypedDict):
    uri: str
    elements: NotRequired[list[_CucumberElement]]


_CUCUMBER = TypeAdapter(list[_CucumberFeature])


def _status(steps: list[_CucumberStep]) -> str:
    statuses = [s["result"]["status"] if "result" in s else "skipped" for s in steps]
    if "failed" in statuses:
        return "failed"
    return "passed" if statuses and all(s == "passed" for s in statuses) else "skipped"


def load_cucumber(path: Path) -> list[ScenarioResult]:
    """The scenario runs of pytest-bdd's cucumber JSON; ``ValueError`` (pydantic's
    ValidationError is one) if the file is not that."""
    results = []
    for feature in _CUCUMBER.validate_json(path.read_bytes()):
        for element in feature.get("elements", []):
            param = _PARAM.search(element.get("id", ""))
            steps = element.get("steps", [])
            results.append(ScenarioResult(
                Path(feature["uri"]).name, element["line"], element["name"],
                _unescape(param["param"]) if param else None, _status(steps),
                sum(s["result"].get("duration", 0) for s in steps if "result" in s) / 1e9))
    return results


def results_for(scenario: TaggedScenario,
                results: Iterable[ScenarioResult]) -> list[ScenarioResult]:
    name = Path(scenario.feature_file).name
    return [r for r in results if r.feature_file == name and r.line == scenario.line
            and (not scenario.param_ids or r.param_id in scenario.param_ids)]


def _expected_runs(scenario: TaggedScenario) -> int:
    return len(scenario.param_ids) or 1


def step_counts(report: TraceReport, results: Sequence[ScenarioResult]) -> dict[str, Counter[str]]:
    """step ID → Counter of passed/failed/skipped/not run over its scenarios (rows count each)."""
    counts: dict[str, Counter[str]] = {}
    for step_id, scenarios in report.coverage.items():
        counter: Counter[str] = Counter()
        for scenario in scenarios:
            found = results_for(scenario, results)
            counter.update(r.status for r in found)
            counter["not run"] += max(0, _expected_runs(scenario) - len(found))
        counts[step_id] = counter
    return counts


def _verdict(counter: Counter[str]) -> str:
    if counter["failed"]:
        return STATUS_ICON["failed"]
    if counter["passed"] and not counter["not run"] and not counter["skipped"]:
        return STATUS_ICON["passed"]
    return STATUS_ICON["skipped"] if counter["passed"] or counter["skipped"] else STATUS_ICON[
        "not run"]


def render_markdown(report: TraceReport, results: Sequence[ScenarioResult]) -> str:
    counts = step_counts(report, results)
    total = Counter(r.status for r in results)
    lines = [
        "# BDD 结果汇总（按步骤 ID）", "",
        f"- 步骤 ID 覆盖：{len(report.steps) - len(report.missing)}/{len(report.steps)}"
        + (f"，缺失：{', '.join(report.missing)}" if report.missing else ""),
        f"- 场景运行：通过 {total['passed']}，失败 {total['failed']}，跳过 {total['skipped']}，"
        f"共 {len(results)}，耗时 {sum(r.duration_s for r in results):.1f} 秒", "",
        "| 步骤 ID | 说明 | 结果 | 通过 | 失败 | 跳过 | 未运行 |",
        "|---|---|:-:|--:|--:|--:|--:|",
    ]
    for step in report.steps:
        c = counts[step.id]
        lines.append(f"| {step.id} | {step.title.replace('|', '/')} | {_verdict(c)} | "
                     f"{c['passed']} | {c['failed']} | {c['skipped']} | {c['not run']} |")
    failed = [r for r in results if r.status == "failed"]
    if failed:
        lines += ["", "## 失败的场景", ""]
        lines += [f"- `{r.feature_file}:{r.line}` {r.name}"
                  + (f" [{r.param_id}]" if r.param_id else "") for r in failed]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="szca-bdd-report",
                                     description="Markdown summary of a BDD run by step ID.")
    parser.add_argument("--cucumber", type=Path, default=Path("reports/cucumber.json"))
    parser.add_argument("--out", type=Path, default=Path("reports/bdd-summary.md"))
    parser.add_argument("--flows", type=Path, default=None)
    parser.add_argument("--features", type=Path, default=FEATURES_DIR)
    args = parser.parse_args(argv)
    try:
        report = check(args.flows, args.features)
        results = load_cucumber(args.cucumber)
    except (OSError, ValueError) as exc:
        print(f"szca-bdd-report: {exc}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render_markdown(report, results), encoding="utf-8")
    print(f"szca-bdd-report: wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
