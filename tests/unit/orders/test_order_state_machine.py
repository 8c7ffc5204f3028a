"""Every (state, event) pair per unlock mode and certificate kind: legal moves land where the
manual's flows say, everything else is refused with a message naming the current state."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.domain.errors import DomainError
from szca_unlock.domain.orders import (
    IllegalTransition,
    OrderEvent,
    OrderMode,
    OrderState,
    allowed_events,
    next_state,
    transition,
)

S, E, K, M = OrderState, OrderEvent, CertificateKind, OrderMode
AT = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)

# Written out independently of the implementation's table, straight from docs/flows.md.
_ORG_RT = {
    (S.DRAFT, E.CONFIRM_ORG_INFO): S.ORG_INFO_CONFIRMED,  # ORG-RT-5
    (S.ORG_INFO_CONFIRMED, E.VERIFY_OPERATOR): S.OPERATOR_VERIFIED,  # ORG-RT-6
    (S.OPERATOR_VERIFIED, E.CONFIRM_AUTHORIZATION): S.AUTHORIZATION_CONFIRMED,  # ORG-RT-7
    (S.AUTHORIZATION_CONFIRMED, E.VERIFY_ENTERPRISE): S.VERIFIED,  # ORG-RT-8
    (S.VERIFIED, E.COMPLETE_UNLOCK): S.COMPLETED,  # ORG-RT-9
}
_PER_RT = {
    (S.DRAFT, E.VERIFY_IDENTITY): S.VERIFIED,  # PER-RT-5
    (S.VERIFIED, E.COMPLETE_UNLOCK): S.COMPLETED,  # PER-RT-6
}
_MR = {
    (S.DRAFT, E.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, E.APPROVE): S.APPROVED,
    (S.SUBMITTED, E.REJECT): S.REJECTED,
    (S.REJECTED, E.RESUBMIT): S.SUBMITTED,
    (S.APPROVED, E.COMPLETE_UNLOCK): S.COMPLETED,
}
_NON_FINAL = [s for s in S if s not in (S.COMPLETED, S.CANCELLED)]


Table = dict[tuple[OrderState, OrderEvent], OrderState]
Case = tuple[OrderMode, CertificateKind, OrderState, OrderEvent]


def _legal(mode: OrderMode, kind: CertificateKind) -> Table:
    table = dict(_MR) if mode is M.MANUAL else dict(_ORG_RT if kind is K.ORG else _PER_RT)
    table.update({(s, E.CANCEL): S.CANCELLED for s in _NON_FINAL})
    return table


_ALL = list(itertools.product(M, K, S, E))


def _id(case: Case) -> str:
    return "-".join(x.value for x in case)


@pytest.mark.parametrize("case", _ALL, ids=[_id(c) for c in _ALL])
def test_every_state_event_pair(case: Case) -> None:
    mode, kind, state, event = case
    expected = _legal(mode, kind).get((state, event))
    note = "材料不清晰" if event is E.REJECT else None
    if expected is None:
        with pytest.raises(IllegalTransition) as info:
            transition(state, event, mode=mode, kind=kind, actor="u", at=AT, note=note)
        assert f"「{state.label}」" in info.value.message
        assert info.value.code == "order.illegal_transition"
        assert event not in allowed_events(state, mode=mode, kind=kind)
    else:
        record = transition(state, event, mode=mode, kind=kind, actor="u", at=AT, note=note)
        assert (record.from_state, record.to_state, record.event) == (state, expected, event)
        assert event in allowed_events(state, mode=mode, kind=kind)


def test_org_certificate_cannot_verify_identity_and_message_says_why() -> None:
    with pytest.raises(IllegalTransition) as info:
        next_state(S.DRAFT, E.VERIFY_IDENTITY, mode=M.REALTIME, kind=K.ORG)
    assert info.value.message == "业务单当前状态为「已创建」，机构证书不能执行「本人身份验证」"


@pytest.mark.parametrize("kind", [K.ORG_PERSONAL, K.NATURAL])
def test_personal_certificate_cannot_confirm_org_info(kind: CertificateKind) -> None:
    with pytest.raises(IllegalTransition) as info:
        next_state(S.DRAFT, E.CONFIRM_ORG_INFO, mode=M.REALTIME, kind=kind)
    assert kind.label in info.value.message


def test_manual_order_cannot_verify_enterprise() -> None:
    with pytest.raises(IllegalTransition) as info:
        next_state(S.AUTHORIZATION_CONFIRMED, E.VERIFY_ENTERPRISE, mode=M.MANUAL, kind=K.ORG)
    assert "人工审核解锁业务单" in info.value.message


def test_completed_order_cannot_be_cancelled() -> None:
    with pytest.raises(IllegalTransition) as info:
        next_state(S.COMPLETED, E.CANCEL, mode=M.REALTIME, kind=K.NATURAL)
    assert info.value.message == "业务单当前状态为「已解锁」，不能执行「取消业务单」"


@pytest.mark.parametrize("note", [None, "", "   "])
def test_reject_requires_a_reason(note: str | None) -> None:
    with pytest.raises(DomainError) as info:
        transition(S.SUBMITTED, E.REJECT, mode=M.MANUAL, kind=K.ORG, actor="reviewer", at=AT,
                   note=note)
    assert info.value.code == "order.reason_required"
    assert not isinstance(info.value, IllegalTransition)


def test_record_keeps_actor_time_and_trimmed_note() -> None:
    record = transition(S.SUBMITTED, E.REJECT, mode=M.MANUAL, kind=K.NATURAL, actor="staff:li",
                        at=AT, note="  身份证扫描件不清晰 ")
    assert record.actor == "staff:li"
    assert record.at == AT
    assert record.note == "身份证扫描件不清晰"


def test_full_org_realtime_path_reaches_completed() -> None:
    state = S.DRAFT
    for event in (E.CONFIRM_ORG_INFO, E.VERIFY_OPERATOR, E.CONFIRM_AUTHORIZATION,
                  E.VERIFY_ENTERPRISE, E.COMPLETE_UNLOCK):
        state = next_state(state, event, mode=M.REALTIME, kind=K.ORG)
    assert state is S.COMPLETED


def test_manual_path_with_rejection_and_resubmission() -> None:
    state = S.DRAFT
    for event in (E.SUBMIT, E.REJECT, E.RESUBMIT, E.APPROVE, E.COMPLETE_UNLOCK):
        state = next_state(state, event, mode=M.MANUAL, kind=K.ORG_PERSONAL)
    assert state is S.COMPLETED


def test_labels_are_the_chinese_names() -> None:
    assert S.SUBMITTED.label == "待审核"
    assert S.COMPLETED.label == "已解锁"
    assert M.MANUAL.label == "人工审核解锁"
    assert {s.label for s in S} >= {"已创建", "认证通过", "审核驳回", "已取消"}
