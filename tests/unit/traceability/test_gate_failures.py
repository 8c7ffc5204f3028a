"""The gate fails, naming what is wrong, on a temp copy of the features with a tag removed or
a bad tag added."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from emulator.bdd.traceability import check, main


def _edit(path: Path, old: str, new: str, count: int = 0) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new) if not count else text.replace(old, new, count),
                    encoding="utf-8")


def _drop_tag_everywhere(features: Path, tag: str) -> None:
    pattern = re.compile(rf"(?<!\S){re.escape(tag)}(?![\w-])")
    for path in features.glob("*.feature"):
        path.write_text(pattern.sub("", path.read_text(encoding="utf-8")), encoding="utf-8")


@pytest.mark.parametrize("step_id", ["ORG-RT-8b", "C-6", "PER-RT-5c", "FAQ-1"])
def test_deleting_every_tag_of_a_step_id_fails_the_gate(
        real_flows: Path, features_copy: Path, step_id: str, capsys) -> None:
    _drop_tag_everywhere(features_copy, f"@{step_id}")
    report = check(real_flows, features_copy)
    assert report.missing == [step_id]
    assert not report.ok
    assert main(["--flows", str(real_flows), "--features", str(features_copy), "-q"]) == 1
    err = capsys.readouterr().err
    assert f"step ID {step_id} has no scenario" in err
    assert "51/52 step IDs covered" in err


def test_deleting_the_only_tag_line_of_a_scenario_fails_the_gate(
        real_flows: Path, features_copy: Path) -> None:
    # ORG-RT-8c is tagged on one scenario only: removing that one line must be noticed.
    _edit(features_copy / "org_realtime.feature", "  @ORG-RT-8c\n", "")
    assert check(real_flows, features_copy).missing == ["ORG-RT-8c"]


def test_tag_on_an_examples_block_counts_and_removing_it_is_noticed(
        real_flows: Path, features_copy: Path) -> None:
    feature = features_copy / "org_realtime.feature"
    before = check(real_flows, features_copy).coverage["ORG-RT-6c"]
    assert any(s.examples == "经办人人脸验证" for s in before)
    _edit(feature, "    @ORG-RT-6c\n    例子: 经办人人脸验证", "    例子: 经办人人脸验证")
    after = check(real_flows, features_copy).coverage["ORG-RT-6c"]
    assert len(after) == len(before) - 1
    assert all(s.examples != "经办人人脸验证" for s in after)


@pytest.mark.parametrize("bad_tag", ["ORG-RT-10", "ORG-RT-6d", "C-7", "ORGRT-6a", "wip"])
def test_an_unknown_tag_fails_the_gate_and_is_named_with_its_place(
        real_flows: Path, features_copy: Path, bad_tag: str, capsys) -> None:
    _edit(features_copy / "common.feature", "  @C-2\n", f"  @C-2 @{bad_tag}\n", count=1)
    report = check(real_flows, features_copy)
    assert list(report.unknown) == [bad_tag]
    assert report.missing == []
    assert main(["--flows", str(real_flows), "--features", str(features_copy), "-q"]) == 1
    err = capsys.readouterr().err
    assert f"unknown tag @{bad_tag}" in err
    assert "common.feature:" in err


def test_operational_tags_are_accepted_and_more_can_be_allowed(
        real_flows: Path, features_copy: Path) -> None:
    _edit(features_copy / "common.feature", "  @C-2\n", "  @C-2 @smoke @nightly\n", count=1)
    assert list(check(real_flows, features_copy).unknown) == ["nightly"]
    assert main(["--flows", str(real_flows), "--features", str(features_copy), "-q",
                 "--allow-tag", "nightly"]) == 0


def test_feature_level_tags_cover_every_scenario(real_flows: Path, features_copy: Path) -> None:
    _drop_tag_everywhere(features_copy, "@CS-1")
    _edit(features_copy / "faq_service.feature", "# language: zh-CN\n",
          "# language: zh-CN\n@CS-1\n")
    found = check(real_flows, features_copy).coverage["CS-1"]
    assert {s.feature for s in found} == {"常见问题解答与客户服务"}
    assert len(found) >= 4


def test_json_output_lists_missing_ids(real_flows: Path, features_copy: Path, capsys) -> None:
    _drop_tag_everywhere(features_copy, "@ORG-MR-10")
    assert main(["--flows", str(real_flows), "--features", str(features_copy),
                 "--format", "json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is False
    assert payload["missing"] == ["ORG-MR-10"]
    assert payload["coverage"]["ORG-MR-10"] == []
