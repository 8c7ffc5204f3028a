"""Parsing flows.md and feature files: IDs in document order, duplicates refused, bad input
reported with exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator.bdd.gherkin_scan import scan_feature
from emulator.bdd.traceability import main, parse_flow_steps

FLOWS = """# Flows
Tag scenarios with the ID, e.g. `@ORG-RT-8`; **not a bullet** either.

- **C-1 网厅登录** — log in.
- **ORG-RT-6** operator identity check:
  - **ORG-RT-6a 手机实名**: own mobile.
- **CS-1** customer service: www.szca.com. More text.
* plain bullet without an ID
"""


def test_ids_are_read_from_bullets_only_in_document_order() -> None:
    steps = parse_flow_steps(FLOWS)
    assert [(s.id, s.title) for s in steps] == [
        ("C-1", "网厅登录"), ("ORG-RT-6", "operator identity check:"),
        ("ORG-RT-6a", "手机实名"), ("CS-1", "customer service: www.szca.com")]
    assert [s.line for s in steps] == [4, 5, 6, 7]


def test_a_duplicated_id_in_flows_md_is_an_error() -> None:
    with pytest.raises(ValueError, match="C-1 appears twice"):
        parse_flow_steps(FLOWS + "- **C-1 again**\n")


def test_unreadable_or_empty_inputs_exit_2(tmp_path: Path, capsys) -> None:
    assert main(["--flows", str(tmp_path / "absent.md")]) == 2
    empty = tmp_path / "flows.md"
    empty.write_text("# nothing here\n", encoding="utf-8")
    assert main(["--flows", str(empty)]) == 2
    assert "no step IDs found" in capsys.readouterr().err


def test_outline_examples_and_rules_inherit_tags(tmp_path: Path) -> None:
    feature = tmp_path / "x.feature"
    feature.write_text(
        "# language: zh-CN\n@C-1\n功能: 示例\n\n  规则: 一条规则\n\n  @C-2\n  场景: 甲\n"
        "    假如一步\n\n  @C-3\n  场景大纲: 乙 <x>\n    假如<x>\n\n    @C-4\n    例子: 第一组\n"
        "      | x |\n      | 1 |\n\n    例子:\n      | x |\n      | 2 |\n",
        encoding="utf-8")
    found = scan_feature(feature)
    assert [(s.name, s.examples, sorted(s.tags), s.param_ids) for s in found] == [
        ("甲", None, ["C-1", "C-2"], ()),
        ("乙 <x>", "第一组", ["C-1", "C-3", "C-4"], ("1",)),
        ("乙 <x>", "第20行", ["C-1", "C-3"], ("2",)),
    ]
    assert [s.location for s in found] == [f"{feature}:8", f"{feature}:16", f"{feature}:20"]
    assert found[1].line == 12
