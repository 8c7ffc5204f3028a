"""The ``szca`` CLI driving the live service as a user: login (code typed on stdin),
lookup, an ORG-RT unlock answered on stdin, 我的业务单, then key-unlock of the locked key."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from emulator.personas import Scenario
from emulator.testing.api import Api
from emulator.testing.keys import NEW_PIN, VirtualKey
from emulator.testing.terminal import AnsweringStdin
from szca_unlock import cli
from szca_unlock.cli.session import logged_in_client
from szca_unlock.ukey import pcsc


def test_cli_org_realtime_end_to_end(api: Api, scenario: Scenario, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str],
                                     locked_key: Callable[[str], VirtualKey]) -> None:
    company = scenario.companies["pengcheng"]
    operator, legal = company.operator, company.legal_rep
    key = locked_key("org")
    monkeypatch.setenv("SZCA_HOME", str(tmp_path / "home"))
    url = ["--url", api.base_url]

    def run(argv: list[str], answers: list[Callable[[], str]] | None = None) -> str:
        monkeypatch.setattr("sys.stdin", AnsweringStdin(answers or []))
        assert cli.main([*url, *argv]) == 0, capsys.readouterr().out
        return capsys.readouterr().out

    out = run(["login", operator.mobile], [lambda: api.sms_code(operator.mobile), lambda: "y"])
    assert "登录成功" in out and "《敏感个人信息授权书》" in out
    assert (tmp_path / "home" / "cli-session.json").stat().st_mode & 0o077 == 0

    serial = scenario.certificate("org").serial_hex
    out = run(["lookup", serial])
    assert "证书类型：机构证书" in out and company.name in out

    account = company.account

    def deposit_code() -> str:
        """What finance reads off the transfer made for the order the CLI is working on (the
        statement is newest first and may hold other transfers: found by order, never by
        position)."""
        with logged_in_client(api.base_url) as client:
            orders = [o.order_no for o in client.all_orders()]  # this test's service: one
        assert len(orders) == 1, orders
        return api.control.deposit_code(account.account_no, orders[0])

    out = run(["unlock", serial, "--operator-method", "carrier",
               "--enterprise-method", "deposit",
               "--legal-rep-name", legal.name, "--legal-rep-id", legal.id_number,
               "--operator-name", operator.name, "--operator-id", operator.id_number,
               "--operator-mobile", operator.mobile, "--bank-name", account.bank,
               "--branch-name", account.branch, "--account-number", account.account_no],
              [lambda: api.sms_code(operator.mobile), deposit_code])
    assert "单位授权委托书" in out and "企业对公打款" in out
    assert "恭喜！审核已通过" in out
    order_no = re.search(r"业务单号：(JS\d+)", out).group(1)  # type: ignore[union-attr]
    assert "[完成并解锁]" in out or "完成并解锁" in out

    monkeypatch.setattr(pcsc, "PcscDriver", lambda: key.driver)
    out = run(["key-unlock", order_no, "--new-pin", NEW_PIN])
    assert f"U-KEY {key.serial} 解锁成功" in out
    key.assert_unlocked_with(NEW_PIN, serial)

    out = run(["orders", "--history"])
    assert order_no in out and "已解锁" in out and "企业验证" in out


def test_cli_reports_errors_in_chinese(api: Api, scenario: Scenario, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SZCA_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("sys.stdin", AnsweringStdin([]))
    assert cli.main(["--url", api.base_url, "lookup", "ABCDEF"]) == 2
    assert "错误：请先登录网上营业厅" in capsys.readouterr().out
    mobile = scenario.people["citizen"].mobile
    assert cli.main(["--url", api.base_url, "login", mobile, "--code", "000000"]) == 2
    assert "请先获取短信验证码" in capsys.readouterr().out


def test_cli_cancel_and_continue_an_open_order(api: Api, scenario: Scenario, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """szca cancel gives up an open order (a cancelled one cannot be continued); szca
    continue carries an ORG-RT order on from where the page was left (after the
    organisation was confirmed) to 审核已通过."""
    company = scenario.companies["pengcheng"]
    operator, legal = company.operator, company.legal_rep
    serial = scenario.certificate("org").serial_hex
    monkeypatch.setenv("SZCA_HOME", str(tmp_path / "home"))
    url = ["--url", api.base_url]

    def run(argv: list[str], answers: list[Callable[[], str]] | None = None,
            code: int = 0) -> str:
        monkeypatch.setattr("sys.stdin", AnsweringStdin(answers or []))
        assert cli.main([*url, *argv]) == code, capsys.readouterr()
        return capsys.readouterr().out

    run(["login", operator.mobile, "--accept"], [lambda: api.sms_code(operator.mobile)])
    # the same login in a browser leaves orders half-way
    api.token = json.loads((tmp_path / "home" / "cli-session.json").read_text())["token"]

    def open_order() -> str:
        return str(api.ok("POST", "/orders", json={"certificate_serial": serial,
                                                   "mode": "realtime"})["order_no"])

    abandoned = open_order()
    out = run(["cancel", abandoned])
    assert f"业务单 {abandoned} 已取消" in out
    assert api.order(abandoned)["state"] == "cancelled"
    run(["continue", abandoned], code=2)

    order_no = open_order()
    api.ok("POST", f"/orders/{order_no}/organisation", json={
        "legal_rep_name": legal.name, "legal_rep_id_number": legal.id_number})
    out = run(["continue", order_no, "--operator-method", "carrier",
               "--enterprise-method", "legal_carrier",
               "--legal-rep-name", legal.name, "--legal-rep-id", legal.id_number,
               "--legal-rep-mobile", legal.mobile,
               "--operator-name", operator.name, "--operator-id", operator.id_number,
               "--operator-mobile", operator.mobile],
              [lambda: api.sms_code(operator.mobile, "verification"),
               lambda: api.sms_code(legal.mobile, "verification")])
    assert "当前：单位信息已确认" in out and "单位授权委托书" in out
    assert "单位名称" not in out  # the organisation step is not done twice
    assert api.order(order_no)["state"] == "verified"
    assert f"szca key-unlock {order_no}" in run(["continue", order_no])
