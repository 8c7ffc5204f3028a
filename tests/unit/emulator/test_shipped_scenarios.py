"""The casts ship inside the package; ``--scenario`` takes a shipped name or a file."""

from __future__ import annotations

from pathlib import Path

import pytest

import emulator.scenarios as shipped
from emulator.cli import build_parser
from emulator.personas import load_scenario
from emulator.scenarios import DEFAULT_SCENARIO, LOAD_SCENARIO, bundled_names, scenario_file


def test_the_shipped_casts_live_in_the_package() -> None:
    assert bundled_names() == ["default", "load"]
    package = Path(str(shipped.__file__)).parent
    assert DEFAULT_SCENARIO.parent == LOAD_SCENARIO.parent == package
    assert load_scenario(DEFAULT_SCENARIO).certificate("org").key_serial == "SZ2025000001"


def test_scenario_option_takes_a_name_or_a_file(tmp_path: Path) -> None:
    assert build_parser().parse_args(["up", "--scenario", "load"]).scenario == LOAD_SCENARIO
    assert build_parser().parse_args(["up"]).scenario == DEFAULT_SCENARIO
    own = tmp_path / "mine.yaml"
    own.write_text(DEFAULT_SCENARIO.read_text(encoding="utf-8"), encoding="utf-8")
    assert scenario_file(str(own)) == own


def test_an_unknown_scenario_is_refused_naming_the_shipped_ones(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["demo", "--scenario", "nope"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "没有场景 nope" in err and "default、load" in err
