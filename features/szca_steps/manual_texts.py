"""那么 steps on the service's texts that the manual publishes word for word: the 解锁指南, the
two agreement ticks, the progress bars and wizard, the 验证方式 drop-downs, the help (CS-1)
and the approval SMS. The expected words come from the manual file (emulator/bdd/manual.py)
or from the feature itself, never from the product."""

from __future__ import annotations

import re

from pytest_bdd import parsers, then

from emulator.bdd.manual import (
    GUIDE_HEADINGS,
    agreement_checkboxes,
    customer_service,
    guide_sentence,
)

from .context import Ctx, body_of


def assert_guide_as_in_manual(ctx: Ctx) -> None:
    guide = body_of(ctx.client.guide())
    shown = {s["heading"]: s["text"] for s in guide["sections"]}
    assert [s["heading"] for s in guide["sections"]] == list(GUIDE_HEADINGS), guide["sections"]
    for heading in GUIDE_HEADINGS:
        assert shown[heading] == guide_sentence(heading), (heading, shown[heading])
    labels = [box["label"] for box in guide["checkboxes"]]
    assert labels == agreement_checkboxes(), labels
    # every agreement is behind exactly one tick
    ids = [i for box in guide["checkboxes"] for i in box["agreements"]]
    assert sorted(ids) == sorted(a["id"] for a in guide["agreements"]), guide


@then(parsers.re(r'解锁指南包含"注意"、"第一步"、"第二步"、"第三步"和"说明"'))
def guide_sections(ctx: Ctx) -> None:
    assert_guide_as_in_manual(ctx)


def _labels(text: str) -> list[str]:
    return text.split("、")


@then(parsers.re(r'(?P<what>进度条|向导)依次为"(?P<steps>[^"]+)",当前为"(?P<current>[^"]+)"'))
def progress_shown(ctx: Ctx, what: str, steps: str, current: str) -> None:
    progress = ctx.order()["progress"]
    assert progress is not None, f"no {what}"
    assert progress["steps"] == _labels(steps), progress
    assert progress["current_label"] == current, progress


@then(parsers.re(r'"(?P<step>[^"]+)"的验证方式依次为"(?P<options>[^"]+)",默认为"(?P<default>[^"]+)"'))
def methods_shown(ctx: Ctx, step: str, options: str, default: str) -> None:
    choices = {c["step_label"]: c for c in ctx.order()["method_choices"]}
    assert step in choices, list(choices)
    choice = choices[step]
    labels = [o["label"] for o in choice["options"]]
    assert labels == _labels(options), labels
    by_method = {o["method"]: o["label"] for o in choice["options"]}
    assert by_method[choice["default"]] == default, choice


@then("页面显示操作手册中的在线客服渠道")
def online_service_shown(ctx: Ctx) -> None:
    assert ctx.attempt is not None and not ctx.attempt.ok, ctx.attempt
    shown = re.sub(r"\s", "", ctx.attempt.text())
    service = customer_service()
    for expected in (service["hotline"], service["site"], service["online"]):
        assert expected in shown, f"{expected!r} not in {shown!r}"
