"""Read feature files with the official Gherkin parser: every runnable scenario and its tags.

A scenario outline yields one entry per ``例子`` block, because a block may carry its own tags
(``@ORG-RT-6a`` on the rows of one operator method). Tags are inherited from the feature and
any rule, exactly as pytest-bdd applies them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard

from gherkin.parser import Parser
from gherkin.parser_types import (
    BackgroundEnvelope,
    Envelope,
    Examples,
    Feature,
    Rule,
    RuleEnvelope,
    Scenario,
    ScenarioEnvelope,
)
from gherkin.token_scanner import TokenScanner


@dataclass(frozen=True)
class TaggedScenario:
    feature_file: str  # path as given, for messages
    feature: str
    name: str
    line: int
    tags: frozenset[str]  # without the leading "@"
    examples: str | None = None  # outline entries: the 例子 block's name ...
    examples_line: int | None = None  # ... its line ...
    param_ids: tuple[str, ...] = ()  # ... and pytest's parameter id of each row ("a-b")
    has_outcome: bool = True  # a 那么 step (keyword type Outcome) among its own steps

    @property
    def label(self) -> str:
        suffix = f" [例子：{self.examples}]" if self.examples else ""
        return f"{self.name}{suffix}"

    @property
    def location(self) -> str:
        return f"{self.feature_file}:{self.examples_line or self.line}"


def _tag_names(node: Feature | Rule | Scenario | Examples) -> set[str]:
    return {t["name"].lstrip("@") for t in node.get("tags", [])}


# A feature's or rule's child is exactly one of a rule, a scenario and a background.
def is_rule(child: Envelope) -> TypeGuard[RuleEnvelope]:
    return "rule" in child


def is_scenario(child: Envelope) -> TypeGuard[ScenarioEnvelope]:
    return "scenario" in child


def is_background(child: Envelope) -> TypeGuard[BackgroundEnvelope]:
    return "background" in child


def parse_feature(path: Path) -> Feature | None:
    """The feature of a ``.feature`` file (None for an empty file); a syntax error raises
    CompositeParserException."""
    return Parser().parse(TokenScanner(path.read_text(encoding="utf-8"))).get("feature")


def _scenarios_of(children: Iterable[Envelope], inherited: set[str],
                  path: str, feature: str) -> Iterator[TaggedScenario]:
    for child in children:
        if is_rule(child):
            rule = child["rule"]
            yield from _scenarios_of(rule["children"], inherited | _tag_names(rule), path, feature)
            continue
        if not is_scenario(child):  # background
            continue
        scenario = child["scenario"]
        tags = inherited | _tag_names(scenario)
        outcome = any(s.get("keywordType") == "Outcome" for s in scenario.get("steps", []))
        blocks = scenario.get("examples") or []
        if not blocks:
            yield TaggedScenario(path, feature, scenario["name"], scenario["location"]["line"],
                                 frozenset(tags), has_outcome=outcome)
        for block in blocks:
            line = block["location"]["line"]
            # pytest-bdd names each row "-".join(cell values): keep them to match results back.
            rows = tuple("-".join(c["value"] for c in row["cells"])
                         for row in block.get("tableBody", []))
            yield TaggedScenario(path, feature, scenario["name"], scenario["location"]["line"],
                                 frozenset(tags | _tag_names(block)),
                                 block.get("name") or f"第{line}行", line, rows, outcome)


def scan_feature(path: Path) -> list[TaggedScenario]:
    """The scenarios of one feature file (a syntax error raises CompositeParserException)."""
    feature = parse_feature(path)
    if feature is None:
        return []
    return list(_scenarios_of(feature["children"], _tag_names(feature), str(path),
                              feature["name"]))


def scan_features(features_dir: Path) -> list[TaggedScenario]:
    """Every scenario of every ``*.feature`` under ``features_dir`` (recursive, by path)."""
    found: list[TaggedScenario] = []
    for path in sorted(features_dir.rglob("*.feature")):
        found.extend(scan_feature(path))
    return found
