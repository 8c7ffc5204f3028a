"""Answers of the service's unlock routes as the agent receives them (the typed wire
models), for the in-process stand-in and the HTTP client's tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from szca_unlock.api.orders import CertificateView, OrderView

_AT = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def order_answer(order_no: str, state: str = "completed") -> OrderView:
    """The order as ``/unlock/confirm`` answers it (a personal certificate's order)."""
    certificate = CertificateView(
        serial="1A2B", kind="personal", kind_label="个人证书", medical=False,
        type_label="个人证书", subject_dn="CN=黄伟", holder_name="黄伟",
        not_before=_AT - timedelta(days=30), not_after=_AT + timedelta(days=335),
        status="valid", status_label="有效")
    return OrderView(
        order_no=order_no, mode="realtime", mode_label="实时解锁", state=state,
        state_label="已完成" if state == "completed" else "已验证",
        certificate_serial="1A2B", certificate_type="个人证书", subject_dn="CN=黄伟",
        created_at=_AT, updated_at=_AT, key_serial="SZ01", certificate=certificate,
        progress=None, next_steps=[], history=[], verifications=[], review_round=0,
        review_deadline=None)
