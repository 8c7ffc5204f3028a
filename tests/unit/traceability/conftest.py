"""Shared paths: the real flows.md and features/, and a temp copy of the features to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from emulator.bdd.traceability import FEATURES_DIR, FLOWS_CANDIDATES


@pytest.fixture(scope="session")
def real_flows() -> Path:
    # docs/flows.md is committed, so one candidate always exists in a checkout.
    return next(c for c in FLOWS_CANDIDATES if c.is_file())


@pytest.fixture
def features_copy(tmp_path: Path) -> Path:
    target = tmp_path / "features"
    shutil.copytree(FEATURES_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target
