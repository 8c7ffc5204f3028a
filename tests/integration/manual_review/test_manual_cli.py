"""``szca`` driving a PER-MR order from the terminal: the applicant files it, a reviewer
rejects it once and approves the resubmission; each in their own session (SZCA_HOME)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from mr_flows import STAFF_PASSWORD, STAFF_USER, jpeg

from emulator.personas import Scenario
from emulator.testing.api import Api
from emulator.testing.terminal import AnsweringStdin
from szca_unlock import cli


def test_cli_manual_review(api: Api, scenario: Scenario, tmp_path: Path,
                           monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    holder = scenario.people["citizen"]

    def run(home: str, argv: list[str], answers: list[Callable[[], str]] | None = None) -> str:
        monkeypatch.setenv("SZCA_HOME", str(tmp_path / home))
        monkeypatch.setattr("sys.stdin", AnsweringStdin(answers or []))
        assert cli.main(["--url", api.base_url, *argv]) == 0, capsys.readouterr().out
        return capsys.readouterr().out

    run("me", ["login", holder.mobile, "--accept"], [lambda: api.sms_code(holder.mobile)])
    out = run("me", ["unlock", scenario.certificate("natural").serial_hex, "--mode", "manual"])
    order_no = re.search(r"JS\d{12}", out).group(0)  # type: ignore[union-attr]
    out = run("me", ["manual-form", order_no, f"applicant_name={holder.name}",
                     f"applicant_id_number={holder.id_number}",
                     f"applicant_mobile={holder.mobile}"])
    assert "申请信息已保存" in out and "上传身份证扫描件" in out
    pdf = tmp_path / "form.pdf"
    run("me", ["application-form", order_no, "-o", str(pdf)])
    assert pdf.read_bytes().startswith(b"%PDF-")
    for slot in ("id_scan", "id_in_hand"):
        (tmp_path / f"{slot}.jpg").write_bytes(jpeg(text=slot))
        assert "已上传" in run("me", ["upload", order_no, slot, str(tmp_path / f"{slot}.jpg")])
    assert "三个工作日内" in run("me", ["submit", order_no])

    run("staff", ["staff-login", STAFF_USER], [lambda: STAFF_PASSWORD])
    assert order_no in run("staff", ["reviews"])
    assert "ID_SCAN_ILLEGIBLE" in run("staff", ["review", order_no])
    run("staff", ["reject", order_no, "--reason", "ID_SCAN_ILLEGIBLE"])

    assert "驳回原因：身份证扫描件不清晰/不完整" in run("me", ["manual", order_no])
    run("me", ["upload", order_no, "id_scan", str(tmp_path / "id_scan.jpg")])
    run("me", ["submit", order_no])
    out = run("staff", ["approve", order_no])
    assert "审核通过短信已发送至" in out and holder.mobile[-4:] in out
    assert api.control.last_sms(holder.mobile).template_id == "1000003"
