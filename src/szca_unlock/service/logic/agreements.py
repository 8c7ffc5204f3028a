"""*-2: the three agreements, ticked in each login session before entering the unlock.

The page shows the ticks every time the user enters 解锁 (manual, step 2), so an
acceptance counts for the session it was given in; every acceptance is kept with the
exact version and time (the CA's consent record).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from szca_unlock.domain.errors import DomainError
from szca_unlock.service.guide import AGREEMENTS, AGREEMENTS_BY_ID, Agreement
from szca_unlock.service.logic.sessions import Principal
from szca_unlock.store.repo_access import (
    list_agreement_acceptances,
    record_agreement_acceptance,
)

_TITLES = "".join(a.title for a in AGREEMENTS)


def accepted_versions(db: Session, session_id: int) -> dict[str, datetime]:
    """``{"<id>:<version>": accepted_at}`` for this login session."""
    rows = list_agreement_acceptances(db, session_id=session_id)
    return {f"{r.agreement_id}:{r.agreement_version}": r.accepted_at for r in rows}


def missing(db: Session, session_id: int) -> list[Agreement]:
    have = accepted_versions(db, session_id)
    return [a for a in AGREEMENTS if f"{a.id}:{a.version}" not in have]


def all_accepted(db: Session, session_id: int) -> bool:
    return not missing(db, session_id)


def require_accepted(db: Session, caller: Principal) -> None:
    if not all_accepted(db, caller.session_id):
        raise DomainError("agreements_required",
                          f"请先阅读解锁指南，并勾选同意{_TITLES}后再进入解锁", "agreements")


def accept(db: Session, caller: Principal, items: Iterable[tuple[str, str]],
           now: datetime) -> list[tuple[Agreement, datetime]]:
    """Record the ticked agreements; all three current versions are required at once."""
    ticked = dict(items)
    for agreement_id in ticked:
        if agreement_id not in AGREEMENTS_BY_ID:
            raise DomainError("agreement_unknown", "协议不存在，请刷新页面后重新勾选",
                              "agreements")
    for agreement in AGREEMENTS:
        version = ticked.get(agreement.id)
        if version is None:
            raise DomainError("agreements_required",
                              f"请勾选同意{agreement.title}后再进入解锁", "agreements")
        if version != agreement.version:
            raise DomainError("agreement_outdated",
                              f"{agreement.title}已更新，请刷新页面阅读最新版本后重新勾选",
                              "agreements")
    have = accepted_versions(db, caller.session_id)
    result = []
    for agreement in AGREEMENTS:
        key = f"{agreement.id}:{agreement.version}"
        if key not in have:
            record_agreement_acceptance(db, caller.mobile or "", agreement.id,
                                        agreement.version, session_id=caller.session_id,
                                        now=now)
            have[key] = now
        result.append((agreement, have[key]))
    return result
