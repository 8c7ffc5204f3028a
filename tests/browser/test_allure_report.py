"""The BDD run's Allure report (scripts/allure-report.sh, Allure Report 3 from npm): one
HTML file that opens from the disk alone in Chromium, without a server and without any
request leaving the machine; and a report that cannot be made never fails the run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from playwright.sync_api import Page, Request, expect

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "allure-report.sh"
FEATURE, SCENARIO = "机构证书人工审核解锁", "经办人微信扫一扫完成活体认证后提交审核"


def _results(directory: Path) -> Path:
    """One failed scenario as allure-pytest-bdd writes it, with an attachment."""
    directory.mkdir()
    (directory / "a1-attachment.json").write_text('[{"provider": "sms"}]', encoding="utf-8")
    (directory / "a1-result.json").write_text(json.dumps({
        "uuid": "a1", "historyId": "h1", "testCaseId": "t1", "fullName": f"{FEATURE}:{SCENARIO}",
        "name": SCENARIO, "status": "failed", "stage": "finished",
        "statusDetails": {"message": "AssertionError: 经办人人脸验证未通过"},
        "start": 1_796_000_000_000, "stop": 1_796_000_004_000,
        "labels": [{"name": "feature", "value": FEATURE}, {"name": "framework",
                                                          "value": "pytest-bdd"},
                   {"name": "step_id", "value": "ORG-MR-8"}, {"name": "tag", "value": "ORG-MR-8"}],
        "steps": [{"name": "当经办人使用微信扫一扫完成活体认证", "status": "failed",
                   "stage": "finished", "start": 1_796_000_001_000, "stop": 1_796_000_002_000}],
        "attachments": [{"name": "provider journal", "source": "a1-attachment.json",
                         "type": "application/json"}],
    }, ensure_ascii=False), encoding="utf-8")
    return directory


def _make(results: Path, out: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), str(results), str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env})


def test_the_report_is_one_file_that_opens_from_the_disk(page: Page, tmp_path: Path) -> None:
    made = _make(_results(tmp_path / "results"), tmp_path / "allure")
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "allure" / "index.html").is_file(), made.stderr
    alone = tmp_path / "moved"  # the HTML file by itself, elsewhere: nothing else needed
    alone.mkdir()
    shutil.copy(tmp_path / "allure" / "index.html", alone / "report.html")

    leaving: list[str] = []

    def watch(request: Request) -> None:
        if not request.url.startswith(("file:", "data:", "blob:")):
            leaving.append(request.url)

    page.on("request", watch)
    page.goto((alone / "report.html").as_uri())
    expect(page.get_by_text(FEATURE).first).to_be_visible(timeout=30_000)
    page.get_by_role("link", name="Behaviors").click()
    page.get_by_text(FEATURE).first.click()
    expect(page.get_by_text(SCENARIO).first).to_be_visible()
    assert leaving == []


def test_a_report_that_cannot_be_made_leaves_the_run_and_its_results_alone(
        tmp_path: Path) -> None:
    results = _results(tmp_path / "results")
    made = _make(results, tmp_path / "allure", ALLURE_BIN="/bin/false")
    assert made.returncode == 0
    assert "could not be generated" in made.stderr and str(results) in made.stderr
    assert sorted(p.name for p in results.iterdir()) == ["a1-attachment.json", "a1-result.json"]
    empty = _make(tmp_path / "none", tmp_path / "allure2")
    assert empty.returncode == 0 and "no results" in empty.stderr
