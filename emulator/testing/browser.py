"""Real Chromium for the portal's tests: Debian's ``chromium`` driven by Playwright (never
a browser download), with the flags that work on a closed network, and axe-core (npm,
pinned in package-lock.json) for the accessibility checks.

QA suites use it through ``launch_args()`` in their ``browser_type_launch_args`` fixture,
as tests/browser/conftest.py does.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # playwright is a test extra; only its types are needed here
    from playwright.sync_api import ViewportSize

CHROMIUM = os.environ.get("SZCA_CHROMIUM", "/usr/bin/chromium")
# No sandbox (root in CI), no GPU; nothing that calls home (QUIC, updates, sync, field
# trials): the machine reaches no network but its own loopback.
CHROMIUM_FLAGS = ("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-dev-shm-usage")
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# What a page must never show: Jinja/moustache placeholders, Python reprs of nothing.
UNTRANSLATED = re.compile(r"\{\{|\}\}|\{%|%\}|\bNone\b|\bundefined\b|\bnull\b|\bTrue\b|\bFalse\b")


@pytest.fixture(scope="session")
def browser_type_launch_args(pytestconfig: pytest.Config) -> dict[str, Any]:
    """pytest-playwright launches Debian's chromium (``--headed`` to watch it)."""
    return launch_args(headless=not pytestconfig.getoption("--headed"))


@pytest.fixture(scope="session")
def browser_context_args() -> dict[str, Any]:
    return {"viewport": DESKTOP, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


class BrowserSetupError(RuntimeError):
    """Chromium or axe-core is missing; the message says which set-up script installs it."""


def launch_args(headless: bool = True) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        raise BrowserSetupError(f"{CHROMIUM} is missing: run scripts/install-system-deps.sh "
                                "(Debian's chromium)")
    return {"executable_path": CHROMIUM, "headless": headless, "args": list(CHROMIUM_FLAGS)}


def axe_source() -> str:
    if not AXE.exists():
        raise BrowserSetupError(f"{AXE} is missing: run scripts/setup-node.sh (npm ci)")
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")
                   ) -> list[dict[str, Any]]:
    """axe-core's violations of ``impacts`` on the page as it is now. The script is
    evaluated through the DevTools protocol, which the page's CSP does not govern (the
    portal allows no injected script, rightly)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    result = page.evaluate("async () => await window.axe.run(document, "
                           "{resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "targets": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"] if v["impact"] in impacts]


def untranslated(text: str) -> list[str]:
    """Placeholders or programmer's words in a page's visible text."""
    return sorted({m.group(0) for m in UNTRANSLATED.finditer(text)})


class Screens:
    """Full-page screenshots of a run, numbered in order (``reports/screens/`` by default),
    each page's visible text checked for untranslated placeholders first (and, with
    ``accessibility``, the page checked with axe-core)."""

    def __init__(self, directory: Path | None = None, *, accessibility: bool = False) -> None:
        self.directory = directory or Path(__file__).resolve().parents[2] / "reports" / "screens"
        self.directory.mkdir(parents=True, exist_ok=True)
        self.accessibility = accessibility  # also: no serious/critical axe-core violation
        self.taken: list[Path] = []

    def shoot(self, page: Any, name: str) -> Path:
        leftovers = untranslated(page.locator("body").inner_text())
        assert leftovers == [], f"{name}: untranslated text on the page: {leftovers}"
        if self.accessibility:
            violations = axe_violations(page)
            assert violations == [], f"{name}: accessibility violations: {violations}"
        path = self.directory / f"{len(self.taken) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)
        return path
