"""Print the mutation score per module from ``mutmut results --all true`` (tox -e mutation).

Killed / (all − equivalent) per module: the equivalent mutants are those named in
docs/testing.md ("Equivalent mutants" table, one backticked mutant name per row), each with
the reason it cannot change behaviour. Exit 1 when the overall score is below --fail-under.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_LINE = re.compile(r"^\s*(?P<name>[\w.ǁ]+__mutmut_\d+): (?P<status>[\w ]+)$")


def equivalents(doc: Path = ROOT / "docs" / "testing.md") -> set[str]:
    text = doc.read_text(encoding="utf-8")
    section = text.split("### Equivalent mutants", 1)[-1] if "### Equivalent mutants" in text \
        else ""
    return set(re.findall(r"`([\w.ǁ]+__mutmut_\d+)`", section))


def module_of(mutant: str) -> str:
    head = mutant.split("__mutmut_")[0]
    return head.split(".x_")[0].split(".xǁ")[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fail-under", type=float, default=0.0)
    args = parser.parse_args(argv)
    out = subprocess.run(["mutmut", "results", "--all", "true"], check=True,
                         capture_output=True, text=True).stdout
    skip = equivalents()
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for line in out.splitlines():
        match = _LINE.match(line)
        if match:
            status = "equivalent" if match["name"] in skip else match["status"].strip()
            per[module_of(match["name"])][status] += 1
    total: Counter[str] = Counter()
    print(f"{'module':<44} {'killed':>7} {'surv.':>6} {'untested':>8} {'unrun':>6} "
          f"{'equiv.':>6} {'score':>7}")
    for module in sorted(per):
        counts = per[module]
        total.update(counts)
        print(_row(module, counts))
    print(_row("TOTAL", total))
    score = _score(total)
    return 1 if score < args.fail_under else 0


# Not run yet (an interrupted run) and equivalent mutants are left out of the score; a mutant
# no test reaches counts as a survivor.
_LEFT_OUT = ("equivalent", "not checked", "skipped")


def _score(c: Counter[str]) -> float:
    counted = sum(c.values()) - sum(c[k] for k in _LEFT_OUT)
    return 100.0 * c["killed"] / counted if counted else float("nan")


def _row(name: str, c: Counter[str]) -> str:
    survived = sum(c.values()) - c["killed"] - c["no tests"] - sum(c[k] for k in _LEFT_OUT)
    return (f"{name:<44} {c['killed']:>7} {survived:>6} {c['no tests']:>8} "
            f"{c['not checked'] + c['skipped']:>6} {c['equivalent']:>6} {_score(c):>6.1f}%")


if __name__ == "__main__":
    sys.exit(main())
