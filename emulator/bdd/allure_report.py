"""Allure results of the BDD run (allure-pytest-bdd writes them with ``--alluredir``;
without it every call here does nothing): each scenario carries its step IDs of
docs/flows.md as ``step_id`` labels, and a failing scenario its evidence as attachments
— the screenshot of the page it failed on (browser driver), the provider journal, the
SMS outbox and the order history (the same texts the JUnit report carries)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import allure
import pytest

from emulator.bdd.traceability import ID_SHAPE

STEP_ID_LABEL = "step_id"


def step_ids(tags: Iterable[str]) -> list[str]:
    """The tags that are step IDs (ORG-MR-8, C-6, …), sorted; operational tags left out."""
    return sorted({tag for tag in tags if ID_SHAPE.match(tag)})


@pytest.hookimpl(trylast=True)  # after allure-pytest-bdd has opened the scenario's result
def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any,
                               scenario: Any) -> None:
    ids = step_ids({*feature.tags, *scenario.tags})
    if ids:
        allure.dynamic.label(STEP_ID_LABEL, *ids)  # type: ignore[no-untyped-call]  # allure is untyped here


def attach_failure(evidence: Mapping[str, str], page: Any | None) -> None:
    """A failing scenario's attachments. A part that cannot be made is attached as the
    reason instead, so the rest still reaches the report."""
    if page is not None:
        try:
            allure.attach(page.screenshot(full_page=True), name="screenshot of the failing page",
                          attachment_type=allure.attachment_type.PNG)
        except Exception as exc:  # a closed page or browser must not hide the other parts
            allure.attach(f"no screenshot: {exc}", name="screenshot of the failing page",
                          attachment_type=allure.attachment_type.TEXT)
    for title, text in evidence.items():
        allure.attach(text, name=title, attachment_type=allure.attachment_type.JSON
                      if _is_json(text) else allure.attachment_type.TEXT)


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True
