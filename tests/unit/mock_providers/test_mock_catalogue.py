"""docs/providers.md carries the result-code table the code answers: every row, no other."""

from __future__ import annotations

from pathlib import Path

from emulator.mock_providers import catalogue, state

DOC = Path(__file__).resolve().parents[3] / "docs" / "providers.md"


def test_the_documented_result_code_table_is_the_one_the_code_renders():
    text = DOC.read_text(encoding="utf-8")
    begin, end = text.index(catalogue.BEGIN), text.index(catalogue.END) + len(catalogue.END)
    assert text[begin:end] == catalogue.render(), (
        "docs/providers.md is out of date: paste `python -m emulator.mock_providers.catalogue`")


def test_every_forced_outcome_the_control_api_accepts_has_a_row():
    rows = {(r.provider, r.forced_action, r.outcome) for r in catalogue.rows()}
    for (provider, action), outcomes in state.OUTCOME_CATALOGUE.items():
        if provider == "deposit" or action == "GetDetectInfoEnhanced":
            continue  # the deposit REST API has its own tables; face outcomes force DetectAuth
        missing = {o for o in outcomes - state.TENCENT_ERROR_OUTCOMES
                   if (provider, action, o) not in rows}
        assert missing == set(), f"{provider}/{action} outcomes without a documented row"


def test_every_row_has_a_distinct_magic_value_per_action():
    seen: dict[tuple[str, str], str] = {}
    for row in catalogue.rows():
        key = (row.action, repr(sorted(row.magic.items())))
        assert key not in seen, f"{row.outcome} and {seen[key]} share a magic value"
        seen[key] = row.outcome
