"""Wiring of the BDD suite: pytest options (--base-url, --providers-url), the scenario's
world (on the project plugin's fixtures), one marker per feature tag, and the step
definitions (docs/bdd.md)."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest
from szca_steps.driver import add_driver_option, bdd_driver  # noqa: F401  (a fixture)
from szca_steps.evidence import evidence
from szca_steps.given_steps import *  # noqa: F403  (step definitions are fixtures)
from szca_steps.manual_steps import *  # noqa: F403
from szca_steps.manual_texts import *  # noqa: F403
from szca_steps.then_steps import *  # noqa: F403
from szca_steps.when_steps import *  # noqa: F403

from emulator.bdd.allure_report import attach_failure, pytest_bdd_before_scenario  # noqa: F401
from emulator.bdd.fixtures import (  # noqa: F401  (fixtures used by the steps)
    add_options,
    bdd_mode,
    bdd_world,
    ukey_master_key,
)
from emulator.bdd.gherkin_scan import scan_features
from emulator.bdd.traceability import FEATURES_DIR, OPERATIONAL_TAGS
from emulator.testing.browser import browser_type_launch_args  # noqa: F401  (--driver browser)


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)
    add_driver_option(parser)


def pytest_configure(config: pytest.Config) -> None:
    # pytest-bdd turns every tag into a marker; --strict-markers wants them registered.
    tags = {tag for scenario in scan_features(FEATURES_DIR) for tag in scenario.tags}
    for tag in sorted(tags | OPERATIONAL_TAGS):
        meaning = ("needs the in-process service clock" if tag == "clock"
                   else "operational tag" if tag in OPERATIONAL_TAGS
                   else "step ID of docs/flows.md")
        config.addinivalue_line("markers", f"{tag}: {meaning}")


# Scenarios that fail because of a product bug reported to the lead; strict xfail, so the
# day the bug is fixed the run fails until the entry is removed (never a silent pass).


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    deployed = bool(config.getoption("base_url") or config.getoption("--world-home"))
    skip = pytest.mark.skip(reason="@clock: a deployment's clock cannot be moved from here")
    for item in items:
        if deployed and item.get_closest_marker("clock"):
            item.add_marker(skip)


# The scenario's Ctx: the steps ask for it by name (request.getfixturevalue), so it never
# appears in item.funcargs; its set-up files it on the item for the report below.
SCENARIO_CTX = pytest.StashKey[Any]()


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef[Any], request: pytest.FixtureRequest
                         ) -> Generator[None, Any, Any]:
    value = yield
    if fixturedef.argname == "ctx":
        request.node.stash[SCENARIO_CTX] = value
    return value


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """A failing scenario's report carries its provider journal, SMS outbox and order history:
    as sections of the terminal report, as JUnit properties (``--junitxml``) and, with the
    failing page's screenshot, as Allure attachments (``--alluredir``)."""
    outcome = yield
    report = outcome.get_result()
    ctx = item.stash.get(SCENARIO_CTX, None)
    if report.when != "call" or not report.failed or ctx is None:
        return
    sections = evidence(ctx)
    for title, text in sections.items():
        report.sections.append((f"szca {title}", text))
        item.user_properties.append((f"szca {title}", text))
    attach_failure(sections, getattr(getattr(ctx, "driver", None), "page", None))
