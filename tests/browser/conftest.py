"""The portal in real Chromium: one browser per worker session (pytest-playwright's
``browser``), a fresh context per test, Debian's chromium (emulator/testing/browser.py)."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.testing.browser import DESKTOP, launch_args

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser_type_launch_args(pytestconfig: pytest.Config) -> dict[str, Any]:
    return launch_args(headless=not pytestconfig.getoption("--headed"))


@pytest.fixture(scope="session")
def browser_context_args() -> dict[str, Any]:
    return {"viewport": DESKTOP, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
