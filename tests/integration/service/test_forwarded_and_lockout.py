"""Forged X-Forwarded-For does not escape the per-address limits, and repeated wrong staff
passwords lock the account until an administrator unlocks it (issue #16, item 6).
Against the live uvicorn server: uvicorn itself used to believe the header."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from emulator.personas import Scenario
from emulator.testing.api import Api


def _staff_login(api: Api, username: str, password: str, forwarded_for: str) -> tuple[int, dict]:
    answer = api.client.post("/api/staff/login", json={"username": username,
                                                       "password": password},
                             headers={"X-Forwarded-For": forwarded_for})
    return answer.status_code, answer.json()


def test_rotating_forged_addresses_then_the_right_password(api: Api, scenario: Scenario,
                                                           tmp_path: Path) -> None:
    staff = scenario.staff[0]
    answers = [_staff_login(api, staff.username, f"wrong-{i}", f"203.0.113.{i}")
               for i in range(40)]
    statuses = [status for status, _ in answers]
    # Locked after 5 wrong passwords, whatever address each claimed to come from ...
    assert statuses[:4] == [401] * 4
    assert answers[4][1]["error"]["code"] == "staff.locked"
    assert "联系系统管理员" in answers[4][1]["error"]["message"]
    # ... and the forged header did not give each try a fresh address: 30 per 10 minutes.
    assert statuses[30:] == [429] * 10
    status, _ = _staff_login(api, staff.username, staff.password, "198.51.100.7")
    assert status == 429  # the login limit still holds for this address

    # The right password does not open a locked account; an administrator unlocks it.
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'service.db'}",
           "SZCA_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "szca_unlock.service.admin", "unlock-staff",
                           staff.username], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert f"账号 {staff.username} 已解锁" in done.stdout


def test_the_right_password_on_a_locked_account_is_refused(api: Api, scenario: Scenario,
                                                           tmp_path: Path) -> None:
    staff = scenario.staff[0]
    for i in range(5):
        _staff_login(api, staff.username, f"wrong-{i}", "")
    status, body = _staff_login(api, staff.username, staff.password, "")
    assert status == 403 and body["error"]["code"] == "staff.locked"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'service.db'}",
           "SZCA_HOME": str(tmp_path)}
    subprocess.run([sys.executable, "-m", "szca_unlock.service.admin", "unlock-staff",
                    staff.username], env=env, check=True, capture_output=True, timeout=60)
    status, body = _staff_login(api, staff.username, staff.password, "")
    assert status == 200 and body["role"] == "staff"
