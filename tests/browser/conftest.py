"""The portal in real Chromium: one browser per worker session (pytest-playwright's
``browser``), a fresh context per test, Debian's chromium (emulator/testing/browser.py)."""

from __future__ import annotations

import pytest

from emulator.testing.browser import (  # noqa: F401  (fixtures for pytest-playwright)
    browser_context_args,
    browser_type_launch_args,
)

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
