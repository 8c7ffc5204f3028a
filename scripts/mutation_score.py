"""Print the mutation score per module from ``mutmut results --all true`` (tox -e mutation).

Score = (killed + timed out) / (all − equivalent − not run), per module and overall. The
equivalent mutants are those named in docs/testing.md (section "Equivalent mutants": one
backticked mutant name per row, with the reason it cannot change behaviour). A listed name
that mutmut no longer produces is reported as stale (the code changed: read the list again)
and fails the run, as does an overall score below --fail-under. A mutant no test reaches
("no tests") counts as a survivor.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "testing.md"
_LINE = re.compile(r"^\s*(?P<name>[\w.ǁ]+__mutmut_\d+): (?P<status>[\w ]+)$")
_SECTION = "### Equivalent mutants"
# Not run yet (an interrupted run) and equivalent mutants are left out of the score.
_LEFT_OUT = ("equivalent", "not checked", "skipped")
_KILLED = ("killed", "timeout")


def equivalents(doc: Path = DOC) -> set[str]:
    text = doc.read_text(encoding="utf-8")
    if _SECTION not in text:
        return set()
    section = text.split(_SECTION, 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"`([\w.ǁ]+__mutmut_\d+)`", section))


def module_of(mutant: str) -> str:
    head = mutant.split("__mutmut_")[0]
    module = head.split(".x_")[0].split(".xǁ")[0]
    return module.removeprefix("szca_unlock.")


def parse_results(text: str) -> dict[str, str]:
    found = {}
    for line in text.splitlines():
        match = _LINE.match(line)
        if match:
            found[match["name"]] = match["status"].strip()
    return found


def tally(results: dict[str, str], skip: set[str]) -> dict[str, Counter[str]]:
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for name, status in results.items():
        per[module_of(name)]["equivalent" if name in skip else status] += 1
    return per


def score(c: Counter[str]) -> float:
    counted = sum(c.values()) - sum(c[k] for k in _LEFT_OUT)
    return 100.0 * sum(c[k] for k in _KILLED) / counted if counted else float("nan")


def row(name: str, c: Counter[str]) -> str:
    killed = sum(c[k] for k in _KILLED)
    survived = sum(c.values()) - killed - c["no tests"] - sum(c[k] for k in _LEFT_OUT)
    return (f"{name:<36} {killed:>7} {survived:>6} {c['no tests']:>8} "
            f"{c['not checked'] + c['skipped']:>6} {c['equivalent']:>6} {score(c):>6.1f}%")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fail-under", type=float, default=0.0)
    parser.add_argument("--survivors", action="store_true",
                        help="also list the surviving and untested mutants by name")
    args = parser.parse_args(argv)
    out = subprocess.run(["mutmut", "results", "--all", "true"], check=True,
                         capture_output=True, text=True).stdout
    results = parse_results(out)
    skip = equivalents()
    per = tally(results, skip)
    total: Counter[str] = Counter()
    print(f"{'module':<36} {'killed':>7} {'surv.':>6} {'untested':>8} {'unrun':>6} "
          f"{'equiv.':>6} {'score':>7}")
    for module in sorted(per):
        total.update(per[module])
        print(row(module, per[module]))
    print(row("TOTAL", total))
    if args.survivors:
        for name, status in sorted(results.items()):
            if name not in skip and status in ("survived", "no tests"):
                print(f"  {status}: {name}")
    stale = sorted(skip - set(results))
    for name in stale:
        print(f"stale entry in {DOC.name} (mutmut has no such mutant now): {name}")
    return 1 if stale or score(total) < args.fail_under else 0


if __name__ == "__main__":
    sys.exit(main())
