"""The business order (业务单) state machine: pure, no I/O.

One table of rules says which event moves which state to which, for which unlock
mode and which certificate family; everything else (allowed events, progress bar,
review rounds) is derived from it, so the rules live in exactly one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.domain.errors import DomainError


class OrderMode(StrEnum):
    REALTIME = "realtime"
    MANUAL = "manual"

    @property
    def label(self) -> str:
        return "实时解锁" if self is OrderMode.REALTIME else "人工审核解锁"


class OrderState(StrEnum):
    DRAFT = "draft"
    ORG_INFO_CONFIRMED = "org_info_confirmed"
    OPERATOR_VERIFIED = "operator_verified"
    AUTHORIZATION_CONFIRMED = "authorization_confirmed"
    VERIFIED = "verified"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]

    @property
    def is_final(self) -> bool:
        return self in (OrderState.COMPLETED, OrderState.CANCELLED)


_STATE_LABELS = {
    OrderState.DRAFT: "已创建",
    OrderState.ORG_INFO_CONFIRMED: "单位信息已确认",
    OrderState.OPERATOR_VERIFIED: "经办人已认证",
    OrderState.AUTHORIZATION_CONFIRMED: "授权委托书已确认",
    OrderState.VERIFIED: "认证通过",
    OrderState.SUBMITTED: "待审核",
    OrderState.APPROVED: "审核通过",
    OrderState.REJECTED: "审核驳回",
    OrderState.COMPLETED: "已解锁",
    OrderState.CANCELLED: "已取消",
}


class OrderEvent(StrEnum):
    CONFIRM_ORG_INFO = "confirm_org_info"
    VERIFY_OPERATOR = "verify_operator"
    CONFIRM_AUTHORIZATION = "confirm_authorization"
    VERIFY_ENTERPRISE = "verify_enterprise"
    VERIFY_IDENTITY = "verify_identity"
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    RESUBMIT = "resubmit"
    COMPLETE_UNLOCK = "complete_unlock"
    CANCEL = "cancel"

    @property
    def label(self) -> str:
        return _EVENT_LABELS[self]


_EVENT_LABELS = {
    OrderEvent.CONFIRM_ORG_INFO: "确认单位信息",
    OrderEvent.VERIFY_OPERATOR: "经办人身份验证",
    OrderEvent.CONFIRM_AUTHORIZATION: "确认授权委托书",
    OrderEvent.VERIFY_ENTERPRISE: "企业验证",
    OrderEvent.VERIFY_IDENTITY: "本人身份验证",
    OrderEvent.SUBMIT: "提交审核",
    OrderEvent.APPROVE: "审核通过",
    OrderEvent.REJECT: "审核驳回",
    OrderEvent.RESUBMIT: "重新提交",
    OrderEvent.COMPLETE_UNLOCK: "完成解锁",
    OrderEvent.CANCEL: "取消业务单",
}

_ORG = frozenset({CertificateKind.ORG})
_PERSONAL = frozenset({CertificateKind.ORG_PERSONAL, CertificateKind.NATURAL})
_ANY_KIND = frozenset(CertificateKind)
_RT = frozenset({OrderMode.REALTIME})
_MR = frozenset({OrderMode.MANUAL})
_ANY_MODE = frozenset(OrderMode)


@dataclass(frozen=True)
class _Rule:
    sources: frozenset[OrderState]
    target: OrderState
    modes: frozenset[OrderMode]
    kinds: frozenset[CertificateKind]


def _rule(sources: Iterable[OrderState], target: OrderState, modes: frozenset[OrderMode],
          kinds: frozenset[CertificateKind]) -> _Rule:
    return _Rule(frozenset(sources), target, modes, kinds)


S = OrderState
_RULES: dict[OrderEvent, tuple[_Rule, ...]] = {
    OrderEvent.CONFIRM_ORG_INFO: (_rule([S.DRAFT], S.ORG_INFO_CONFIRMED, _RT, _ORG),),
    OrderEvent.VERIFY_OPERATOR: (_rule([S.ORG_INFO_CONFIRMED], S.OPERATOR_VERIFIED, _RT, _ORG),),
    OrderEvent.CONFIRM_AUTHORIZATION: (
        _rule([S.OPERATOR_VERIFIED], S.AUTHORIZATION_CONFIRMED, _RT, _ORG),),
    OrderEvent.VERIFY_ENTERPRISE: (_rule([S.AUTHORIZATION_CONFIRMED], S.VERIFIED, _RT, _ORG),),
    OrderEvent.VERIFY_IDENTITY: (_rule([S.DRAFT], S.VERIFIED, _RT, _PERSONAL),),
    OrderEvent.SUBMIT: (_rule([S.DRAFT], S.SUBMITTED, _MR, _ANY_KIND),),
    OrderEvent.APPROVE: (_rule([S.SUBMITTED], S.APPROVED, _MR, _ANY_KIND),),
    OrderEvent.REJECT: (_rule([S.SUBMITTED], S.REJECTED, _MR, _ANY_KIND),),
    OrderEvent.RESUBMIT: (_rule([S.REJECTED], S.SUBMITTED, _MR, _ANY_KIND),),
    OrderEvent.COMPLETE_UNLOCK: (_rule([S.VERIFIED], S.COMPLETED, _RT, _ANY_KIND),
                                 _rule([S.APPROVED], S.COMPLETED, _MR, _ANY_KIND)),
    OrderEvent.CANCEL: (
        _rule([s for s in OrderState if not s.is_final], S.CANCELLED, _ANY_MODE, _ANY_KIND),),
}
del S

# Events whose audit row must say why (the applicant reads the rejection reason, ORG-MR-10).
_NOTE_REQUIRED = frozenset({OrderEvent.REJECT})


class IllegalTransition(DomainError):
    """The event is not allowed for this order now; the message names the current state."""

    status = 409

    def __init__(self, state: OrderState, event: OrderEvent, why: str = "") -> None:
        super().__init__(
            "order.illegal_transition",
            f"业务单当前状态为「{state.label}」，{why}不能执行「{event.label}」",
            None,
        )
        self.state = state
        self.event = event


@dataclass(frozen=True)
class TransitionRecord:
    """One line of an order's audit trail."""

    from_state: OrderState
    to_state: OrderState
    event: OrderEvent
    actor: str
    at: datetime
    note: str | None = None


def _guard_reason(rule: _Rule, mode: OrderMode, kind: CertificateKind) -> str:
    """Why a rule that exists for the event does not apply to this order ("" if it does)."""
    if kind not in rule.kinds:
        return f"{kind.label}"
    if mode not in rule.modes:
        return f"{mode.label}业务单"
    return ""


def next_state(state: OrderState, event: OrderEvent, *, mode: OrderMode,
               kind: CertificateKind) -> OrderState:
    """The state ``event`` leads to, or ``IllegalTransition``."""
    rules = _RULES[event]
    for rule in rules:
        if state in rule.sources and not _guard_reason(rule, mode, kind):
            return rule.target
    # Name a kind/mode mismatch when no rule of this event can ever fit this order.
    fitting = [r for r in rules if not _guard_reason(r, mode, kind)]
    why = "" if fitting else _guard_reason(rules[0], mode, kind)
    raise IllegalTransition(state, event, why)


def transition(state: OrderState, event: OrderEvent, *, mode: OrderMode, kind: CertificateKind,
               actor: str, at: datetime, note: str | None = None) -> TransitionRecord:
    """Apply ``event``: the audit record of the move, or ``IllegalTransition`` /
    ``DomainError('order.reason_required')``."""
    target = next_state(state, event, mode=mode, kind=kind)
    if event in _NOTE_REQUIRED and not (note and note.strip()):
        raise DomainError("order.reason_required", "请填写驳回原因", "reason")
    return TransitionRecord(state, target, event, actor, at, note.strip() if note else None)


def allowed_events(state: OrderState, *, mode: OrderMode,
                   kind: CertificateKind) -> frozenset[OrderEvent]:
    """The events that are legal now (what buttons the UI may offer)."""
    allowed = set()
    for event, rules in _RULES.items():
        if any(state in r.sources and not _guard_reason(r, mode, kind) for r in rules):
            allowed.add(event)
    return frozenset(allowed)


def review_round(events: Iterable[OrderEvent | str]) -> int:
    """How many times the order went to review: 1 after submit, +1 per resubmit."""
    return sum(1 for e in events if OrderEvent(e) in (OrderEvent.SUBMIT, OrderEvent.RESUBMIT))


@dataclass(frozen=True)
class Progress:
    """A progress bar: the step labels and where the order is (0-based; ``done`` at the end)."""

    steps: tuple[str, ...]
    current: int
    done: bool

    @property
    def current_label(self) -> str:
        return self.steps[self.current]


ORG_REALTIME_STEPS = ("解锁信息确认", "身份验证", "企业验证", "完成并解锁")
# PER-RT screenshot: "证书解锁" above the bar is the page's title (it heads every unlock page,
# beside "常见问题"), not a step; the bar itself has two.
PERSONAL_REALTIME_STEPS = ("身份验证", "完成并解锁")
# PER-MR-5 screenshot: the manual-review wizard of personal certificates.
PERSONAL_MANUAL_STEPS = ("解锁介绍", "证书选择", "录入信息", "打印申请表", "上传资料")

# The authorisation letter (ORG-RT-7) closes the operator's part, so it stays under 身份验证.
_ORG_RT_STEP = {
    OrderState.DRAFT: 0,
    OrderState.ORG_INFO_CONFIRMED: 1,
    OrderState.OPERATOR_VERIFIED: 1,
    OrderState.AUTHORIZATION_CONFIRMED: 2,
    OrderState.VERIFIED: 3,
    OrderState.COMPLETED: 3,
}
_PER_RT_STEP = {OrderState.DRAFT: 0, OrderState.VERIFIED: 1, OrderState.COMPLETED: 1}
_SUBMITTED_ONWARDS = frozenset({OrderState.SUBMITTED, OrderState.APPROVED, OrderState.COMPLETED})


def realtime_progress(state: OrderState, kind: CertificateKind) -> Progress:
    """Where a real-time order is on its progress bar (ORG: four steps, ORG-RT; personal:
    the three of the PER-RT result screen, the certificate step done before the order exists)."""
    steps, table = ((ORG_REALTIME_STEPS, _ORG_RT_STEP) if kind is CertificateKind.ORG
                    else (PERSONAL_REALTIME_STEPS, _PER_RT_STEP))
    if state not in table:
        raise ValueError(f"{state.value} is not a real-time state for {kind.value}")
    return Progress(steps, table[state], state is OrderState.COMPLETED)


def personal_manual_progress(state: OrderState, *, form_saved: bool,
                             form_printed: bool) -> Progress:
    """Where a personal manual-review order is on the PER-MR wizard: the order exists once a
    certificate is chosen, so it starts at 录入信息; printing the form opens 上传资料; the
    wizard is done once submitted (a rejected order is back at 上传资料 to edit)."""
    if state is OrderState.CANCELLED or state not in (_SUBMITTED_ONWARDS | {
            OrderState.DRAFT, OrderState.REJECTED}):
        raise ValueError(f"{state.value} is not a manual-review state")
    if state in _SUBMITTED_ONWARDS:
        return Progress(PERSONAL_MANUAL_STEPS, 4, True)
    if state is OrderState.REJECTED or form_printed:
        return Progress(PERSONAL_MANUAL_STEPS, 4, False)
    return Progress(PERSONAL_MANUAL_STEPS, 3 if form_saved else 2, False)
