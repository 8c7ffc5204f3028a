"""The gate on fixture features, one bad kind per file: each fails with exit 1 and names the
feature file and line (or flows.md and line for a step ID without a scenario)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from emulator.bdd.traceability import check, main

FIXTURES = Path(__file__).parent / "fixtures"


def _features(tmp_path: Path, *names: str) -> Path:
    target = tmp_path / "features"
    target.mkdir()
    for name in names:
        shutil.copy(FIXTURES / name, target / name)
    return target


def _gate(features: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--flows", str(FIXTURES / "flows.md"), "--features", str(features), "-q"])
    return code, capsys.readouterr().err


def test_a_complete_fixture_passes(tmp_path: Path, capsys) -> None:
    code, err = _gate(_features(tmp_path, "good.feature"), capsys)
    assert code == 0, err
    assert "2/2 step IDs covered" in err and err.rstrip().endswith("OK")


def test_a_scenario_without_a_step_id_fails(tmp_path: Path, capsys) -> None:
    features = _features(tmp_path, "good.feature", "no_step_id.feature")
    code, err = _gate(features, capsys)
    assert code == 1
    assert f"{features / 'no_step_id.feature'}:10: scenario 「只有运营标签」 has no step-ID tag" \
        in err
    assert [s.name for s in check(FIXTURES / "flows.md", features).untagged] == ["只有运营标签"]


def test_a_scenario_without_a_then_step_fails(tmp_path: Path, capsys) -> None:
    features = _features(tmp_path, "good.feature", "no_then.feature")
    code, err = _gate(features, capsys)
    assert code == 1
    assert f"{features / 'no_then.feature'}:5: scenario 「只做不查」 has no 那么 step" in err


def test_an_unknown_tag_fails(tmp_path: Path, capsys) -> None:
    features = _features(tmp_path, "good.feature", "unknown_tag.feature")
    code, err = _gate(features, capsys)
    assert code == 1
    assert f"unknown tag @C-7 (not a step ID of flows.md) at " \
           f"{features / 'unknown_tag.feature'}:5" in err


def test_a_step_id_without_a_scenario_fails(tmp_path: Path, capsys) -> None:
    features = _features(tmp_path, "no_then.feature")  # C-1 only; C-2 has none
    code, err = _gate(features, capsys)
    assert code == 1
    assert f"{FIXTURES / 'flows.md'}:4: step ID C-2 has no scenario" in err


def test_an_outline_block_without_a_step_id_is_named_by_its_line(tmp_path: Path) -> None:
    features = _features(tmp_path, "good.feature")
    path = features / "good.feature"
    path.write_text(path.read_text(encoding="utf-8").replace("  @C-2\n", ""), encoding="utf-8")
    report = check(FIXTURES / "flows.md", features)
    assert [s.location for s in report.untagged] == [f"{path}:13"]  # the 例子 line
