"""The run summary from Locust's CSV files: unlock rate, errors by step, designed 429s."""

from __future__ import annotations

import json
import os
import time
from dataclasses import replace
from pathlib import Path

from load.profiles import PROFILES
from load.runner import check
from load.summary import CpuShares, render_markdown, summarise
from load.world import cpu_seconds

HEAD = ("Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
        "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
        "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n")


def _stats(*rows: str) -> str:
    return HEAD + "".join(r + "\n" for r in rows)


def _row(kind: str, name: str, count: int, fails: int, p50: int, p95: int, p99: int) -> str:
    return (f"{kind},{name},{count},{fails},{p50},{p50},1,{p99},10,1.0,0.0,"
            f"{p50},{p50},{p50},{p95},{p95},{p95},{p99},{p99},{p99},{p99},{p99}")


def _write_run(tmp_path: Path) -> Path:
    prefix = tmp_path / "ramp"
    Path(f"{prefix}_stats.csv").write_text(_stats(
        _row("POST", "C-1 /api/auth/sms-code", 100, 7, 20, 80, 150),
        _row("POST", "C-5 /api/orders/{no}/unlock/confirm", 40, 0, 30, 90, 120),
        _row("FLOW", "PER-RT face → unlocked", 40, 2, 900, 1500, 2000),
        _row("FLOW", "C-1 SMS login", 50, 5, 100, 300, 400),
        _row("", "Aggregated", 140, 7, 25, 85, 150)), encoding="utf-8")
    Path(f"{prefix}_failures.csv").write_text(
        "Method,Name,Error,Occurrences\n"
        "POST,C-1 /api/auth/sms-code,HTTP 429 rate_limited [designed],5\n"
        "POST,C-1 /api/auth/sms-code,HTTP 500 internal,2\n"
        "FLOW,PER-RT face → unlocked,HTTP 500 internal,2\n", encoding="utf-8")
    history = ["Timestamp,User Count,Type,Name,Total Request Count,Total Failure Count"]
    for ts, users, flows, total in ((0, 10, 0, 0), (10, 10, 10, 100), (20, 10, 20, 200),
                                    (21, 20, 20, 210), (31, 20, 40, 410)):
        history.append(f"{ts},{users},FLOW,PER-RT face → unlocked,{flows},0")
        history.append(f"{ts},{users},,Aggregated,{total},0")
    Path(f"{prefix}_stats_history.csv").write_text("\n".join(history) + "\n", encoding="utf-8")
    return prefix


def test_unlock_rate_counts_completed_unlock_flows_only(tmp_path: Path) -> None:
    summary = summarise(_write_run(tmp_path), duration_s=19.0)
    assert summary.unlocks_completed == 38
    assert summary.unlocks_per_s == 2.0
    assert summary.requests == 140 and summary.failures == 7


def test_errors_are_broken_down_by_step_and_designed_429s_kept_apart(tmp_path: Path) -> None:
    summary = summarise(_write_run(tmp_path), duration_s=19.0)
    assert summary.designed_429 == 5 and summary.undesigned_failures == 2
    assert summary.errors_by_step == {"C-1": {
        "POST /api/auth/sms-code: HTTP 429 rate_limited [designed]": 5,
        "POST /api/auth/sms-code: HTTP 500 internal": 2}}


def test_percentiles_per_step_and_rates_per_user_level(tmp_path: Path) -> None:
    summary = summarise(_write_run(tmp_path), duration_s=19.0)
    confirm = next(s for s in summary.steps if s.step == "C-5")
    assert (confirm.route, confirm.p50_ms, confirm.p95_ms, confirm.p99_ms) == (
        "/api/orders/{no}/unlock/confirm", 30, 90, 120)
    assert [(lv.users, lv.unlocks_per_s, lv.requests_per_s) for lv in summary.levels] == [
        (10, 1.0, 10.0), (20, 2.0, 20.0)]
    text = render_markdown(summary, "ramp")
    assert "| C-5 | POST | /api/orders/{no}/unlock/confirm | 40 | 0 | 30 | 90 | 120 |" in text
    assert "38 (2.00/s)" in text


def test_a_missing_run_summarises_to_nothing(tmp_path: Path) -> None:
    summary = summarise(tmp_path / "none", duration_s=10)
    assert (summary.requests, summary.unlocks_completed, summary.levels) == (0, 0, [])


def _write_ramp_with_dropped_connections(tmp_path: Path) -> Path:
    """Every request answered, yet flows failed: connections dropped by a server (the
    request rows never saw them) and one visit ended by a designed 429."""
    prefix = tmp_path / "ramp"
    Path(f"{prefix}_stats.csv").write_text(_stats(
        _row("POST", "C-1 /api/auth/sms-code", 100, 1, 20, 80, 150),
        _row("FLOW", "PER-RT face → unlocked", 40, 0, 900, 1500, 2000),
        _row("FLOW", "PersonalRealtimeUser", 3, 3, 700, 900, 900),
        _row("FLOW", "SmsLoginStormUser", 2, 2, 100, 100, 100),
        _row("", "Aggregated", 145, 6, 25, 85, 150)), encoding="utf-8")
    Path(f"{prefix}_failures.csv").write_text(
        "Method,Name,Error,Occurrences\n"
        "POST,C-1 /api/auth/sms-code,HTTP 429 rate_limited [designed],1\n"
        "FLOW,PersonalRealtimeUser,RemoteProtocolError('Server disconnected without sending "
        "a response.'),3\n"
        "FLOW,SmsLoginStormUser,RemoteProtocolError('Server disconnected without sending "
        "a response.'),1\n"
        "FLOW,SmsLoginStormUser,ServiceCallFailed('HTTP 429 rate_limited [designed]'),1\n",
        encoding="utf-8")
    return prefix


def test_failed_flows_count_as_failures_even_when_every_request_was_answered(
        tmp_path: Path) -> None:
    summary = summarise(_write_ramp_with_dropped_connections(tmp_path), duration_s=20.0)
    assert (summary.flow_failures, summary.designed_flow_failures,
            summary.undesigned_flow_failures) == (5, 1, 4)
    assert summary.errors_by_flow["PersonalRealtimeUser"] == {
        "RemoteProtocolError('Server disconnected without sending a response.')": 3}
    text = render_markdown(summary, "ramp")
    assert "- flows failed: 5 (ended by a designed 429: 1, other: 4)" in text
    assert "## Errors by flow" in text and "3 × RemoteProtocolError" in text


def test_a_ramp_with_failed_flows_fails_its_check(tmp_path: Path) -> None:
    summary = summarise(_write_ramp_with_dropped_connections(tmp_path), duration_s=20.0)
    assert summary.undesigned_failures == 0  # the request rows alone looked clean
    problems = check(PROFILES["ramp"], summary)
    assert len(problems) == 1 and "4 failed flows" in problems[0]


def test_flows_ended_by_designed_429s_alone_pass_a_ramp(tmp_path: Path) -> None:
    prefix = tmp_path / "ramp"
    Path(f"{prefix}_stats.csv").write_text(_stats(
        _row("POST", "C-1 /api/auth/sms-code", 10, 1, 20, 80, 150),
        _row("FLOW", "C-1 SMS login", 8, 0, 100, 100, 100),
        _row("FLOW", "SmsLoginStormUser", 1, 1, 100, 100, 100)), encoding="utf-8")
    Path(f"{prefix}_failures.csv").write_text(
        "Method,Name,Error,Occurrences\n"
        "POST,C-1 /api/auth/sms-code,HTTP 429 rate_limited [designed],1\n"
        "FLOW,SmsLoginStormUser,ServiceCallFailed('HTTP 429 rate_limited [designed]'),1\n",
        encoding="utf-8")
    summary = summarise(prefix, duration_s=20.0)
    assert (summary.flow_failures, summary.undesigned_flow_failures) == (1, 0)
    assert check(PROFILES["ramp"], summary) == []
    assert check(PROFILES["smoke"], summary)  # strict: any failed flow fails


def test_the_summary_reports_the_generators_and_the_services_cpu_share(tmp_path: Path) -> None:
    summary = replace(summarise(_write_run(tmp_path), duration_s=19.0),
                      cpu=CpuShares(seconds=20.0, cores=2, generator_s=10.0, service_s=16.0))
    text = render_markdown(summary, "ramp")
    assert ("- CPU over 20 s on 2 cores: load generator 10.0 s (25% of the machine), "
            "service 16.0 s (40%)") in text
    assert json.loads(summary.to_json())["cpu"]["generator_s"] == 10.0


def test_cpu_seconds_of_a_running_process_grow_with_its_work() -> None:
    before = cpu_seconds(os.getpid())
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:
        pass
    assert cpu_seconds(os.getpid()) >= before + 0.2
