"""The world's CA master key: one per home, kept across runs, the environment's wins, never
shown, and a damaged key file is named instead of used."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from emulator.master_key import ENV, MasterKey


@pytest.fixture(autouse=True)
def no_key_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)


def test_a_home_gets_one_key_kept_private_across_runs(tmp_path: Path) -> None:
    first = MasterKey.of_home(tmp_path / "home")
    assert MasterKey.of_home(tmp_path / "home") == first
    assert MasterKey.of_home(tmp_path / "other") != first
    key_file = tmp_path / "home" / "master.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text() == first.hex and len(first.value) == 32
    assert [p.name for p in key_file.parent.iterdir()] == ["master.key"]  # nothing aside


def test_the_environment_wins_over_the_home(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "ab" * 32)
    assert MasterKey.of_home(tmp_path).value == bytes.fromhex("ab" * 32)
    assert not (tmp_path / "master.key").exists()


def test_a_damaged_key_file_is_refused_with_its_fix(tmp_path: Path) -> None:
    (tmp_path / "master.key").write_text("")  # e.g. cut short by a full disk
    with pytest.raises(ValueError, match=f"{tmp_path / 'master.key'}: .*64 hex digits"):
        MasterKey.of_home(tmp_path)
    with pytest.raises(ValueError, match="32 bytes"):
        MasterKey(b"short")


def test_the_key_never_shows_in_a_repr() -> None:
    key = MasterKey.generate()
    assert key.hex not in repr(key) and str(key.value) not in repr(key)
