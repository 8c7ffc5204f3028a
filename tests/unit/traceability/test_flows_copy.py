"""docs/flows.md is the committed copy of the workspace's flows.md: it must not drift."""

from __future__ import annotations

import pytest

from emulator.bdd.traceability import FLOWS_CANDIDATES

SHARED, COPY = FLOWS_CANDIDATES


def test_the_committed_copy_equals_the_shared_flows() -> None:
    if not SHARED.is_file():
        pytest.skip("no shared/ beside this checkout; the committed copy is the only source")
    assert COPY.read_text(encoding="utf-8") == SHARED.read_text(encoding="utf-8"), (
        f"{COPY} differs from {SHARED}: copy the shared file over the committed one")
