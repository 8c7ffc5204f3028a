"""Allure results of the BDD run (make test: ``--alluredir reports/allure-results``): one
real scenario run in its own pytest process carries its step IDs as ``step_id`` labels and,
made to fail after its last step, the provider journal, the SMS outbox and the order
history as attachments (and as terminal sections and JUnit properties). The failing
page's screenshot (browser driver) is checked on the attachment helper itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from emulator.bdd import allure_report
from emulator.bdd.traceability import FEATURES_DIR, ID_SHAPE

ROOT = FEATURES_DIR.parent
FEATURES = "features/test_realtime_features.py::test_"
# Two short real-time scenarios: one through the API (@PER-RT-5b), one @ui in Chromium
# (@FAQ-1), whose failure also attaches the screenshot of the page it stopped on.
SCENARIOS = [
    pytest.param(f"{FEATURES}申请人输入错误的手机实名认证验证码", "PER-RT-5b", False, id="api"),
    pytest.param(f"{FEATURES}与运营商核对并更正实名信息后重新认证可以解锁", "FAQ-1", True,
                 id="browser"),
]
FAIL_AFTER = '''
def pytest_bdd_after_scenario(request, feature, scenario):
    raise AssertionError("made to fail by the report test")
'''


def _results(directory: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(directory.glob("*-result.json"))]


@pytest.mark.parametrize(("scenario", "step_id", "in_browser"), SCENARIOS)
def test_a_scenario_run_writes_step_id_labels_and_failure_evidence(
        tmp_path: Path, scenario: str, step_id: str, in_browser: bool) -> None:
    (tmp_path / "fail_after_scenario.py").write_text(FAIL_AFTER, encoding="utf-8")
    results = tmp_path / "allure-results"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", scenario, "-p", "fail_after_scenario",
         "-p", "no:cacheprovider", "-q", f"--alluredir={results}",
         f"--junitxml={tmp_path / 'junit.xml'}"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**_env(), "PYTHONPATH": str(tmp_path)})
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-3000:]  # failed, not broken
    [result] = _results(results)
    assert result["status"] == "failed"
    labels = [(label["name"], label["value"]) for label in result["labels"]]
    step_ids = sorted(value for name, value in labels if name == "step_id")
    assert step_ids and all(ID_SHAPE.match(v) for v in step_ids), labels
    assert step_id in step_ids
    assert ("framework", "pytest-bdd") in labels
    assert next(s["name"] for s in result["steps"]).startswith("假如")  # Gherkin steps
    attached = {a["name"]: results / a["source"] for a in result["attachments"]}
    assert {"provider journal", "SMS outbox", "order history"} <= set(attached)
    screenshot = attached.get("screenshot of the failing page")
    if in_browser:
        assert screenshot and screenshot.read_bytes().startswith(b"\x89PNG")
    else:
        assert screenshot is None  # the API driver has no page
    journal = json.loads(attached["provider journal"].read_text(encoding="utf-8"))
    assert any(entry["provider"] == "sms" for entry in journal)
    history = json.loads(attached["order history"].read_text(encoding="utf-8"))
    assert history["order_no"] and history["state"] and "history" in history
    # the same evidence in the terminal report and as JUnit properties
    assert "szca provider journal" in run.stdout
    junit = (tmp_path / "junit.xml").read_text(encoding="utf-8")
    for title in ("provider journal", "SMS outbox", "order history"):
        assert f'<property name="szca {title}"' in junit


def _env() -> dict[str, str]:
    # the outer run's xdist/pytest variables must not leak into the inner run
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}


class _Page:
    def __init__(self, png: bytes | None) -> None:
        self.png = png

    def screenshot(self, full_page: bool = False) -> bytes:
        if self.png is None:
            raise RuntimeError("Target page, context or browser has been closed")
        assert full_page
        return self.png


@pytest.fixture
def attachments(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any, str]]:
    made: list[tuple[str, Any, str]] = []
    monkeypatch.setattr(allure_report.allure, "attach",
                        lambda body, name, attachment_type: made.append(
                            (name, body, attachment_type.mime_type)))
    return made


def test_the_failing_page_is_attached_first(attachments: list[tuple[str, Any, str]]) -> None:
    allure_report.attach_failure({"SMS outbox": "[]", "order history": "unreadable: gone"},
                                 _Page(b"\x89PNG..."))
    assert attachments == [("screenshot of the failing page", b"\x89PNG...", "image/png"),
                           ("SMS outbox", "[]", "application/json"),
                           ("order history", "unreadable: gone", "text/plain")]


def test_a_closed_page_still_lets_the_evidence_through(
        attachments: list[tuple[str, Any, str]]) -> None:
    allure_report.attach_failure({"provider journal": "[]"}, _Page(None))
    assert attachments[0][0] == "screenshot of the failing page"
    assert "has been closed" in attachments[0][1]
    assert attachments[1] == ("provider journal", "[]", "application/json")


def test_step_ids_leave_operational_tags_out() -> None:
    assert allure_report.step_ids({"ORG-MR-8", "smoke", "C-6", "pcsc", "PER-RT-5b"}) == [
        "C-6", "ORG-MR-8", "PER-RT-5b"]
