"""Retention (store/retention.py): what is past its time goes, in batches; nothing younger,
and an agreement acceptance outlives its session (the consent record stays)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from store_fixtures import MOBILE, NOW, OpenOrder

from szca_unlock.store import Database
from szca_unlock.store.enums import SessionKind
from szca_unlock.store.models_access import (
    AgreementAcceptanceRow,
    AssistantTicketRow,
    LoginCodeRow,
    SessionRow,
)
from szca_unlock.store.repo_access import (
    add_login_code,
    create_session,
    record_agreement_acceptance,
)
from szca_unlock.store.repo_orders import get_order
from szca_unlock.store.retention import Retention, purge

DAY = timedelta(days=1)


def _count(db: Database, row: type) -> int:
    with db.session(readonly=True) as s:
        return int(s.scalar(select(func.count()).select_from(row)) or 0)


def test_purge_deletes_only_what_is_past_its_retention(db: Database,
                                                       open_order: OpenOrder) -> None:
    order_no = open_order()
    with db.session() as s:
        for age in (0, 2, 3, 40):  # days; codes are kept one day
            add_login_code(s, MOBILE, f"h{age}", expires_at=NOW - age * DAY + timedelta(minutes=5),
                           now=NOW - age * DAY)
        old = create_session(s, "old", SessionKind.APPLICANT, mobile=MOBILE,
                             expires_at=NOW - 31 * DAY, now=NOW - 31 * DAY)
        recent = create_session(s, "recent", SessionKind.APPLICANT, mobile=MOBILE,
                                expires_at=NOW - 29 * DAY, now=NOW - 29 * DAY)
        record_agreement_acceptance(s, MOBILE, "personal_info", "2025.1", session_id=old.id,
                                    now=NOW - 31 * DAY)
        record_agreement_acceptance(s, MOBILE, "personal_info", "2025.1",
                                    now=NOW - 6 * 365 * DAY)
        s.add(AssistantTicketRow(ticket_hash="t" * 64, session_id=old.id,
                                 order_id=get_order(s, order_no).id, issued_at=NOW - 31 * DAY,
                                 expires_at=NOW - 31 * DAY + timedelta(minutes=5)))
        recent_id = recent.id
    report = purge(db, NOW, Retention(), batch=2)  # batches smaller than the work
    assert (report.login_codes, report.sessions, report.agreement_acceptances) == (3, 1, 1)
    with db.session(readonly=True) as s:
        assert [c.code_hash for c in s.scalars(select(LoginCodeRow))] == ["h0"]
        assert list(s.scalars(select(SessionRow.id))) == [recent_id]
        (kept,) = s.scalars(select(AgreementAcceptanceRow))
        assert kept.session_id is None and kept.accepted_at == NOW - 31 * DAY
    assert _count(db, AssistantTicketRow) == 0


def test_purge_twice_finds_nothing_more(db: Database) -> None:
    with db.session() as s:
        for i in range(5):
            add_login_code(s, MOBILE, f"h{i}", expires_at=NOW - 3 * DAY, now=NOW - 3 * DAY)
    assert purge(db, NOW, batch=2).login_codes == 5
    assert purge(db, NOW, batch=2).login_codes == 0
