"""The gate on the project's real flows.md and features: the default suite fails when a step
ID of the manual loses its last scenario."""

from __future__ import annotations

from pathlib import Path

from emulator.bdd.traceability import check, coverage_table, main, parse_flow_steps


def test_flows_md_has_exactly_52_step_ids(real_flows: Path) -> None:
    steps = parse_flow_steps(real_flows.read_text(encoding="utf-8"))
    ids = [s.id for s in steps]
    assert len(ids) == 52
    assert ids[:6] == ["C-1", "C-2", "C-3", "C-4", "C-5", "C-6"]
    assert {"ORG-RT-6a", "ORG-RT-8d", "ORG-MR-11", "PER-RT-5c", "PER-MR-8"} <= set(ids)
    assert ids[-2:] == ["FAQ-1", "CS-1"]


def test_every_step_id_of_the_manual_has_a_scenario(real_flows: Path) -> None:
    report = check(real_flows)
    assert report.missing == []
    assert report.unknown == {}
    assert report.ok


def test_every_verification_method_has_its_own_scenario(real_flows: Path) -> None:
    report = check(real_flows)
    for step_id in ("ORG-RT-6a", "ORG-RT-6b", "ORG-RT-6c", "ORG-RT-8a", "ORG-RT-8b",
                    "ORG-RT-8c", "ORG-RT-8d", "PER-RT-5a", "PER-RT-5b", "PER-RT-5c"):
        assert report.coverage[step_id], step_id


def test_command_prints_the_coverage_table_and_succeeds(real_flows: Path, capsys) -> None:
    assert main(["--flows", str(real_flows)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("| 步骤 ID |")
    assert "| ORG-RT-8d | 企业对公打款 |" in out
    assert "52/52 step IDs covered" in err
    assert coverage_table(check(real_flows)).count("\n") == 52 + 1
