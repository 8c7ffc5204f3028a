"""The real-time progress bars and the review round counter."""

from __future__ import annotations

import pytest

from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.domain.orders import (
    ORG_REALTIME_STEPS,
    OrderEvent,
    OrderState,
    personal_manual_progress,
    realtime_progress,
    review_round,
)

S = OrderState


@pytest.mark.parametrize(("state", "label", "done"), [
    (S.DRAFT, "解锁信息确认", False),
    (S.ORG_INFO_CONFIRMED, "身份验证", False),
    (S.OPERATOR_VERIFIED, "身份验证", False),
    (S.AUTHORIZATION_CONFIRMED, "企业验证", False),
    (S.VERIFIED, "完成并解锁", False),
    (S.COMPLETED, "完成并解锁", True),
])
def test_org_realtime_bar(state: OrderState, label: str, done: bool) -> None:
    progress = realtime_progress(state, CertificateKind.ORG)
    assert progress.steps == ("解锁信息确认", "身份验证", "企业验证", "完成并解锁")
    assert progress.steps == ORG_REALTIME_STEPS
    assert (progress.current_label, progress.done) == (label, done)


def test_personal_realtime_bar() -> None:
    draft = realtime_progress(S.DRAFT, CertificateKind.NATURAL)
    # "证书解锁" is the page title, not a step (docs/decisions/bdd.md)
    assert (draft.steps, draft.current_label) == (("身份验证", "完成并解锁"), "身份验证")
    assert realtime_progress(S.VERIFIED, CertificateKind.ORG_PERSONAL).current_label == "完成并解锁"


@pytest.mark.parametrize(("state", "saved", "printed", "label", "done"), [
    (S.DRAFT, False, False, "录入信息", False),
    (S.DRAFT, True, False, "打印申请表", False),
    (S.DRAFT, True, True, "上传资料", False),
    (S.REJECTED, True, True, "上传资料", False),
    (S.SUBMITTED, True, True, "上传资料", True),
    (S.APPROVED, True, True, "上传资料", True),
    (S.COMPLETED, True, True, "上传资料", True),
])
def test_personal_manual_wizard(state: OrderState, saved: bool, printed: bool, label: str,
                                done: bool) -> None:
    progress = personal_manual_progress(state, form_saved=saved, form_printed=printed)
    assert progress.steps == ("解锁介绍", "证书选择", "录入信息", "打印申请表", "上传资料")
    assert (progress.current_label, progress.done) == (label, done)


@pytest.mark.parametrize("state", [S.CANCELLED, S.VERIFIED, S.ORG_INFO_CONFIRMED])
def test_no_wizard_outside_manual_review(state: OrderState) -> None:
    with pytest.raises(ValueError):
        personal_manual_progress(state, form_saved=True, form_printed=True)


@pytest.mark.parametrize("state", [S.SUBMITTED, S.APPROVED, S.REJECTED])
def test_manual_states_have_no_realtime_bar(state: OrderState) -> None:
    with pytest.raises(ValueError):
        realtime_progress(state, CertificateKind.ORG)


def test_personal_order_has_no_org_only_states() -> None:
    with pytest.raises(ValueError):
        realtime_progress(S.ORG_INFO_CONFIRMED, CertificateKind.NATURAL)


def test_review_round_counts_submits_and_resubmits() -> None:
    E = OrderEvent
    assert review_round([]) == 0
    assert review_round([E.SUBMIT]) == 1
    assert review_round([E.SUBMIT, E.REJECT, E.RESUBMIT, E.REJECT, "resubmit"]) == 3
    assert review_round([E.SUBMIT, E.APPROVE, E.COMPLETE_UNLOCK]) == 1
