"""Retention: login codes, sessions and agreement acceptances are deleted once they have
served their purpose (docs/database.md § Retention, docs/decisions/database.md).

``python -m szca_unlock.store.retention --database-url URL`` (a daily cron job or systemd
timer; safe to run while the service runs) deletes in batches of ``BATCH`` rows, one short
write transaction each, so the service's writers never wait long for SQLite's lock.
Indexes on ``login_codes.created_at``, ``sessions.expires_at`` and
``agreement_acceptances.accepted_at`` (migration 0004) find the rows without a scan.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update

from szca_unlock.store.database import Database
from szca_unlock.store.models_access import (
    AgreementAcceptanceRow,
    AssistantTicketRow,
    LoginCodeRow,
    SessionRow,
)

BATCH = 1000


@dataclass(frozen=True)
class Retention:
    # The hourly send limit looks back one hour; a day covers any support question.
    login_codes: timedelta = timedelta(days=1)
    # After a session expired (idle, 8 h cap, or logout), kept 30 days for support.
    sessions: timedelta = timedelta(days=30)
    # Consent records: five years, the CA's record-keeping period for its certificates.
    agreements: timedelta = timedelta(days=5 * 365)


@dataclass(frozen=True)
class PurgeReport:
    login_codes: int
    sessions: int
    agreement_acceptances: int


def _batches(db: Database, ids_query: Any, purge_batch: Any, batch: int) -> int:
    """Delete what ``ids_query`` finds, ``batch`` ids per transaction; → how many."""
    total = 0
    while True:
        with db.session() as session:
            ids = list(session.scalars(ids_query.limit(batch)))
            if ids:
                purge_batch(session, ids)
        total += len(ids)
        if len(ids) < batch:
            return total


def purge(db: Database, now: datetime, retention: Retention = Retention(), *,
          batch: int = BATCH) -> PurgeReport:
    """Delete what is past its retention at ``now``."""
    codes = _batches(
        db, select(LoginCodeRow.id).where(LoginCodeRow.created_at < now - retention.login_codes),
        lambda s, ids: s.execute(delete(LoginCodeRow).where(LoginCodeRow.id.in_(ids))), batch)
    agreements = _batches(
        db, select(AgreementAcceptanceRow.id).where(
            AgreementAcceptanceRow.accepted_at < now - retention.agreements),
        lambda s, ids: s.execute(delete(AgreementAcceptanceRow).where(
            AgreementAcceptanceRow.id.in_(ids))), batch)

    def drop_sessions(session: Any, ids: list[int]) -> None:
        # An acceptance outlives its session (the consent record stays, without the link);
        # the certificate helper's tickets of a long-expired session are spent or expired.
        session.execute(update(AgreementAcceptanceRow).where(
            AgreementAcceptanceRow.session_id.in_(ids)).values(session_id=None))
        session.execute(delete(AssistantTicketRow).where(or_(
            AssistantTicketRow.session_id.in_(ids),
            AssistantTicketRow.access_session_id.in_(ids))))
        session.execute(delete(SessionRow).where(SessionRow.id.in_(ids)))

    sessions = _batches(
        db, select(SessionRow.id).where(SessionRow.expires_at < now - retention.sessions),
        drop_sessions, batch)
    return PurgeReport(codes, sessions, agreements)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m szca_unlock.store.retention",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args(argv)
    db = Database(args.database_url)
    try:
        report = purge(db, datetime.now(UTC))
    finally:
        db.dispose()
    print(f"purged: {report.login_codes} login codes, {report.sessions} sessions, "
          f"{report.agreement_acceptances} agreement acceptances")
    return 0


if __name__ == "__main__":
    sys.exit(main())
