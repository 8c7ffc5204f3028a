"""`szca` finds the emulated world of its SZCA_HOME: the service URL and the readers'
PC/SC socket that `szca-emulator up` recorded there (explicit settings still win)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from szca_unlock.cli.session import DEFAULT_URL, PCSC_SOCKET_ENV, default_url, use_home_readers


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SZCA_HOME", str(tmp_path))
    monkeypatch.delenv("SZCA_SERVICE_URL", raising=False)
    monkeypatch.delenv(PCSC_SOCKET_ENV, raising=False)  # restored after the test
    return tmp_path


def record_world(home: Path) -> None:
    (home / "run").mkdir()
    (home / "run" / "stack.json").write_text(json.dumps({
        "service_url": "http://127.0.0.1:41234", "providers_url": "http://127.0.0.1:41235",
        "pcsc_socket": str(home / "ukey" / "world" / "pcscd" / "pcscd.comm")}))


def test_without_a_world_the_defaults_stay(home: Path) -> None:
    assert default_url() == DEFAULT_URL
    use_home_readers()
    assert PCSC_SOCKET_ENV not in os.environ  # the machine's pcscd


def test_the_home_world_gives_the_service_and_the_readers(home: Path) -> None:
    record_world(home)
    assert default_url() == "http://127.0.0.1:41234"
    use_home_readers()
    assert os.environ[PCSC_SOCKET_ENV] == str(home / "ukey" / "world" / "pcscd" / "pcscd.comm")


def test_explicit_settings_win_over_the_home_world(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record_world(home)
    monkeypatch.setenv("SZCA_SERVICE_URL", "http://staging.example:8400")
    monkeypatch.setenv(PCSC_SOCKET_ENV, "/run/other/pcscd.comm")
    assert default_url() == "http://staging.example:8400"
    use_home_readers()
    assert os.environ[PCSC_SOCKET_ENV] == "/run/other/pcscd.comm"
