"""Fixtures of the agent integration tests."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from softhsm_token import SoftToken, create_soft_token

# The in-process service double (UnlockAuthority behind the client protocol) is shared
# with the unit tests; pytest puts only this directory on sys.path.
sys.path.insert(0, str(Path(__file__).parents[2] / "unit" / "ukey_agent"))


@pytest.fixture
def soft_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SoftToken:
    if shutil.which("softhsm2-util") is None:
        pytest.skip("SoftHSM2 is not installed (scripts/system-deps)")
    token = create_soft_token(tmp_path, "SZCA-TOKEN-1", user_pin="246810")
    monkeypatch.setenv("SOFTHSM2_CONF", str(token.conf))
    return token
