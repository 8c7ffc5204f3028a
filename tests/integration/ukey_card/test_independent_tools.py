"""Tools that are not our code agree with the card: OpenSC's opensc-tool, and our CLI
driven as a user would (separate process, through the reader)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.pcsc


def opensc_reader_number(name: str) -> str:
    listing = subprocess.run(["opensc-tool", "-l"], capture_output=True, text=True, check=True)
    for line in listing.stdout.splitlines():
        if line.rstrip().endswith(name):
            return line.split()[0]
    raise AssertionError(f"opensc-tool does not list {name!r}:\n{listing.stdout}")


@pytest.mark.skipif(shutil.which("opensc-tool") is None, reason="OpenSC not installed")
def test_opensc_tool_raw_apdus(ukey_inserted_card) -> None:
    card = ukey_inserted_card(max_tries=3)
    apdus = [
        "00A404000AF0535A4341554B455901",  # SELECT
        "00CA010100",  # serial
        "0020008106303030303030",  # wrong PIN
        "0020008106303030303030",
        "00200081",  # status query
        "0020008106303030303030",  # the last try
        "0020008106313233343536",  # right PIN, too late
        "002A9E9A20" + "00" * 32 + "00",  # sign without verification
        "80CA010100",  # CLA
        "00EE000000",  # INS
    ]
    argv = ["opensc-tool", "-r", opensc_reader_number(card.reader)]
    for apdu in apdus:
        argv += ["-s", apdu]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    sws = re.findall(r"SW1=0x([0-9A-F]{2}), SW2=0x([0-9A-F]{2})", out, re.IGNORECASE)
    assert [(a + b).upper() for a, b in sws] == [
        "9000", "9000", "63C2", "63C1", "63C1", "6983", "6983", "6982", "6E00", "6D00"]
    assert card.serial in out


def test_cli_lock_and_verify_as_a_user(ukey_inserted_card, ukey_home) -> None:
    card = ukey_inserted_card()
    env = {**os.environ, "SZCA_HOME": str(ukey_home.parent)}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "emulator.virtual_ukey.cli", *args],
                              capture_output=True, text=True, env=env, timeout=60)

    done = cli("verify", card.serial, "--pin", "123456")
    assert done.returncode == 0 and "PIN 验证通过" in done.stdout
    locked = cli("lock", card.serial)
    assert locked.returncode == 0, locked.stderr
    assert locked.stdout.count("输入错误 PIN") == 6 and "锁死" in locked.stdout
    refused = cli("verify", card.serial, "--pin", "123456")
    assert refused.returncode == 1 and "锁死" in refused.stdout
    status = cli("status", card.serial)
    assert "已锁死" in status.stdout and card.reader in status.stdout
    assert "OpenSC 识别为 Personal Identity Verification Card" in status.stdout  # PIV view
    assert "CKR_PIN_LOCKED" in status.stdout
    assert cli("reset", card.serial, "--pin", "123456").returncode == 3  # still inserted
