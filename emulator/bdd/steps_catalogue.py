"""The step catalogue for QA (``szca-bdd-steps`` → ``docs/steps.md``): every step phrase of
the BDD suite with its parameters and an example from the features, the cast, the reviewer's
rejection reasons and the mock providers' magic values. Generated from the code, so a test
can keep the committed file in sync (``szca-bdd-steps --check``)."""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gherkin.parser_types import Scenario, Step

from .gherkin_scan import is_background, is_scenario, parse_feature
from .traceability import FEATURES_DIR, PROJECT_ROOT

OUTPUT = PROJECT_ROOT / "docs" / "steps.md"
STEP_MODULES = ("given_steps", "when_steps", "then_steps", "manual_steps", "manual_texts")
_KEYWORDS = {"given": "假如", "when": "当", "then": "那么"}


@dataclass(frozen=True)
class StepDoc:
    kind: str
    phrase: str
    parameters: tuple[str, ...]
    doc: str
    where: str
    example: str | None


def _feature_steps(features_dir: Path) -> list[tuple[str, str]]:
    """(step text, "file:line") of every step in the features, in file order."""
    found: list[tuple[str, str]] = []
    for path in sorted(features_dir.rglob("*.feature")):
        feature = parse_feature(path)
        for child in feature["children"] if feature else []:
            steps: list[Step] = []
            row: dict[str, str] = {}
            if is_scenario(child):
                steps, row = child["scenario"]["steps"], _first_row(child["scenario"])
            elif is_background(child):
                steps = child["background"]["steps"]
            for step in steps:
                text = step["text"]
                for column, value in row.items():  # an outline's step, with its first row
                    text = text.replace(f"<{column}>", value)
                found.append((text, f"{path.name}:{step['location']['line']}"))
    return found


def _first_row(scenario: Scenario) -> dict[str, str]:
    for block in scenario.get("examples") or []:
        header, rows = block.get("tableHeader"), block.get("tableBody") or []
        if header and rows:
            return {h["value"]: c["value"] for h, c in zip(header["cells"], rows[0]["cells"],
                                                           strict=True)}
    return {}


def _readable(pattern: str) -> str:
    """A regex phrase as QA types it: named groups become <name>, alternatives stay."""
    text = re.sub(r"\(\?P<(\w+)>[^()]*(?:\([^()]*\)[^()]*)*\)", r"<\1>", pattern)
    return text.replace("(?:", "(").replace("\\", "")


def collect(features_dir: Path = FEATURES_DIR) -> list[StepDoc]:
    sys.path.insert(0, str(features_dir))
    try:
        from pytest_bdd.steps import step_function_context_registry

        for name in STEP_MODULES:
            importlib.import_module(f"szca_steps.{name}")
        contexts = list(step_function_context_registry.values())
    finally:
        sys.path.remove(str(features_dir))
    steps = _feature_steps(features_dir)
    docs = []
    for context in contexts:
        func, parser = context.step_func, context.parser
        if not func.__module__.startswith("szca_steps."):
            continue
        pattern = getattr(parser, "regex", None)
        phrase = _readable(pattern.pattern) if pattern is not None else parser.name
        parameters = tuple(pattern.groupindex) if pattern is not None else ()
        example = next((f"{text}  ({where})" for text, where in steps
                        if parser.is_matching(text)), None)
        doc = (func.__doc__ or "").strip().splitlines()[0] if func.__doc__ else ""
        docs.append(StepDoc(context.type or "*", phrase, parameters, doc,
                            f"{func.__module__.removeprefix('szca_steps.')}.{func.__name__}",
                            example))
    order = {"given": 0, "when": 1, "then": 2}
    return sorted(docs, key=lambda d: (order.get(d.kind, 3), d.where))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _steps_table(docs: list[StepDoc]) -> list[str]:
    lines: list[str] = []
    for kind in ("given", "when", "then"):
        lines += ["", f"### {_KEYWORDS[kind]} ({kind})", "",
                  "| phrase | parameters | example (feature:line) | defined in |",
                  "|---|---|---|---|"]
        for d in (d for d in docs if d.kind == kind):
            example = _cell(d.example) if d.example else "*(not used by the features)*"
            lines.append(f"| `{_cell(d.phrase)}` | {', '.join(d.parameters) or '—'} | "
                         f"{example} | `{d.where}` |")
    return lines


def _cast_section() -> list[str]:
    from .personas import CERTIFICATE_BY_LABEL, HOLDER_OF, fresh_scenario

    sample = fresh_scenario(seed=20261203)
    lines = ["", "## The cast", "",
             "Every in-process scenario gets a fresh cast from a random seed (names, ID numbers, "
             "mobiles, bank cards, USCC and serials differ every run). The roles are fixed; "
             "below is the cast of seed 20261203, for orientation only.", "",
             "| role | actor in the features | name | mobile | bank-reserved mobile |",
             "|---|---|---|---|---|"]
    actors = {"operator": "经办人", "legal_rep": "法人", "employee": "申请人（机构个人证书）",
              "citizen": "申请人（自然人证书）", "doctor": "申请人（医疗类自然人证书）"}
    for key, person in sample.people.items():
        lines.append(f"| `{key}` | {actors.get(key, '')} | {person.name} | {person.mobile} | "
                     f"{person.reserved_mobile} |")
    lines += ["", "| certificate in the features | persona | held by | serial (sample) |",
              "|---|---|---|---|"]
    for label, key in CERTIFICATE_BY_LABEL.items():
        lines.append(f"| {label} | `{key}` | `{HOLDER_OF[key]}` | "
                     f"`{sample.certificate(key).serial_hex}` |")
    lines.append("| 第二把 机构证书 (C-6) | `org2` | `operator` | "
                 f"`{sample.certificate('org2').serial_hex}` |")
    return lines


def _reasons_section() -> list[str]:
    from szca_unlock.documents.review_reasons import reasons_for
    from szca_unlock.domain.certificates import CertificateKind

    lines = ["", "## Rejection reasons（深圳CA审核人员以\"…\"为由驳回）", "",
             "| label | code | offered for |", "|---|---|---|"]
    seen: dict[str, tuple[str, list[str]]] = {}
    for kind in CertificateKind:
        for reason in reasons_for(kind):
            seen.setdefault(reason.label, (reason.code, []))[1].append(kind.label)
    for label, (code, kinds) in seen.items():
        lines.append(f"| {label} | `{code}` | {'、'.join(kinds)} |")
    return lines


def _magic_section() -> list[str]:
    from emulator.mock_providers.bank.models import MAGIC_PREFIX, MAGIC_SELECTORS
    from emulator.mock_providers.carrier.models import MAGIC_MOBILES
    from emulator.mock_providers.deposit.models import MAGIC_ACCOUNTS
    from emulator.mock_providers.sms.models import MAGIC_MOBILES as SMS_MOBILES

    lines = ["", "## Magic values of the mock providers", "",
             "Values that force a provider's answer without seeding (docs/providers.md).", "",
             "| provider | value | answer |", "|---|---|---|"]
    lines += [f"| carrier | mobile `{m}` | {o} |" for m, o in MAGIC_MOBILES.items()]
    lines += [f"| bank | card `{MAGIC_PREFIX}{s}` + Luhn digit | {o} |"
              for s, o in MAGIC_SELECTORS.items()]
    lines += [f"| deposit | account `{a}` | {o} |" for a, o in MAGIC_ACCOUNTS.items()]
    lines += [f"| sms | mobile `{m}` | {o} |" for m, o in SMS_MOBILES.items()]
    return lines


def render(features_dir: Path = FEATURES_DIR) -> str:
    lines = ["# BDD step catalogue", "",
             "Generated by `szca-bdd-steps` from `features/szca_steps/` and the features; do not "
             "edit by hand (a test fails when it is out of date). How to write a feature: "
             "docs/bdd.md.", "", "## Steps",
             "", "`<name>` is a parameter; `(a|b)` means either wording. 并且/但是 continue the "
             "keyword above them."]
    lines += _steps_table(collect(features_dir))
    lines += _cast_section() + _reasons_section() + _magic_section()
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="szca-bdd-steps",
                                     description="Write the BDD step catalogue (docs/steps.md).")
    parser.add_argument("--out", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if the file differs from what the code generates")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
        if current != text:
            print(f"szca-bdd-steps: {args.out} is out of date; run szca-bdd-steps",
                  file=sys.stderr)
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"szca-bdd-steps: wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
