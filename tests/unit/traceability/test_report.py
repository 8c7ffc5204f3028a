"""The Markdown summary: cucumber JSON results land on the right step IDs, outline rows on
the step ID of their own 例子 block."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from emulator.bdd.report import load_cucumber, main, render_markdown, step_counts
from emulator.bdd.traceability import check


def _element(test_id: str, line: int, name: str, statuses: list[str]) -> dict:
    steps = [{"keyword": "当", "name": f"步骤{i}", "line": line + i, "match": {"location": ""},
              "result": {"status": s, "duration": 500_000_000}} for i, s in enumerate(statuses)]
    return {"keyword": "场景", "id": test_id, "name": name, "line": line, "description": "",
            "tags": [], "type": "scenario", "steps": steps}


def _escaped(param_id: str) -> str:
    return param_id.encode("unicode_escape").decode("ascii")


def _outline(report, step_id: str, examples: str):
    return next(s for s in report.coverage[step_id] if s.examples == examples)


def _write_run(tmp_path: Path, real_flows: Path) -> Path:
    report = check(real_flows)
    six_a = _outline(report, "ORG-RT-6a", "经办人手机实名")
    six_b = _outline(report, "ORG-RT-6b", "经办人银联验证")
    eight_b = report.coverage["ORG-RT-8b"][0]
    elements = [
        # pytest escapes non-ASCII parameter ids, as it does in real runs
        _element(f"test_x[{_escaped(six_a.param_ids[0])}]", six_a.line, "甲",
                 ["passed", "passed"]),
        _element(f"test_x[{six_b.param_ids[1]}]", six_b.line, "乙", ["passed", "failed"]),
        _element("test_y", eight_b.line, eight_b.name, ["passed", "skipped"]),
    ]
    path = tmp_path / "cucumber.json"
    path.write_text(json.dumps([{"keyword": "功能", "uri": "features/org_realtime.feature",
                                 "name": "机构证书实时解锁", "elements": elements}],
                               ensure_ascii=False), encoding="utf-8")
    return path


def test_outline_rows_count_for_the_step_id_of_their_examples_block(
        tmp_path: Path, real_flows: Path) -> None:
    results = load_cucumber(_write_run(tmp_path, real_flows))
    assert [r.status for r in results] == ["passed", "failed", "skipped"]
    assert results[0].duration_s == 1.0
    counts = step_counts(check(real_flows), results)
    assert counts["ORG-RT-6a"]["passed"] == 1 and counts["ORG-RT-6a"]["failed"] == 0
    assert counts["ORG-RT-6b"]["failed"] == 1 and counts["ORG-RT-6b"]["passed"] == 0
    assert counts["ORG-RT-8b"]["skipped"] == 1
    assert counts["ORG-RT-6c"]["passed"] == 0 and counts["ORG-RT-6c"]["not run"] >= 4
    # ORG-RT-6 tags all three blocks: it sees the pass and the failure.
    assert counts["ORG-RT-6"]["passed"] == 1 and counts["ORG-RT-6"]["failed"] == 1


def test_markdown_names_failures_and_marks_each_step_id(tmp_path: Path, real_flows: Path) -> None:
    text = render_markdown(check(real_flows), load_cucumber(_write_run(tmp_path, real_flows)))
    rows = {line.split("|")[1].strip(): line for line in text.splitlines()
            if line.startswith("| ") and not line.startswith("| 步骤")}
    assert len(rows) == 52
    assert "❌" in rows["ORG-RT-6b"]
    assert "⚪" in rows["PER-MR-8"]
    assert "- 步骤 ID 覆盖：52/52" in text
    assert "通过 1，失败 1，跳过 1，共 3" in text
    assert "## 失败的场景" in text and "乙 [" in text


def test_command_writes_the_summary(tmp_path: Path, real_flows: Path) -> None:
    out = tmp_path / "out" / "summary.md"
    assert main(["--cucumber", str(_write_run(tmp_path, real_flows)), "--out", str(out),
                 "--flows", str(real_flows)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# BDD 结果汇总（按步骤 ID）")
    assert main(["--cucumber", str(tmp_path / "absent.json"), "--out", str(out),
                 "--flows", str(real_flows)]) == 2


@pytest.mark.parametrize("body", ['{"not": "a run"}', '[{"elements": []}]', "not json"])
def test_a_file_that_is_not_a_cucumber_run_is_refused(tmp_path: Path, real_flows: Path,
                                                      body: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    run = tmp_path / "run.json"
    run.write_text(body, encoding="utf-8")
    assert main(["--cucumber", str(run), "--out", str(tmp_path / "summary.md"),
                 "--flows", str(real_flows)]) == 2
    assert "szca-bdd-report:" in capsys.readouterr().err
    assert not (tmp_path / "summary.md").exists()
