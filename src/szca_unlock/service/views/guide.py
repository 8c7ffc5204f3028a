"""C-2: the unlock guide with the agreements, and what accepting them answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from szca_unlock.api.guide import (
    AcceptResponse,
    AgreementView,
    CheckboxView,
    Guide,
    GuideSection,
    UnlockModeView,
)
from szca_unlock.service import guide as copy
from szca_unlock.service.guide import Agreement


def unlock_guide(accepted: Mapping[str, datetime]) -> Guide:
    """``accepted``: ``"id:version"`` → when this login accepted it."""
    return Guide(
        title=copy.GUIDE_TITLE,
        sections=[GuideSection(heading=h, text=t) for h, t in copy.GUIDE_SECTIONS],
        modes=[UnlockModeView(mode=m, label=label, description=d)
               for m, label, d in copy.UNLOCK_MODES],
        agreements=[AgreementView(id=a.id, title=a.title, version=a.version,
                                  accepted=f"{a.id}:{a.version}" in accepted,
                                  accepted_at=accepted.get(f"{a.id}:{a.version}"))
                    for a in copy.AGREEMENTS],
        checkboxes=[CheckboxView(name=c.name, label=c.label, agreements=list(c.agreement_ids))
                    for c in copy.CHECKBOXES])


def accepted(done: Sequence[tuple[Agreement, datetime]]) -> AcceptResponse:
    return AcceptResponse(accepted=[
        AgreementView(id=a.id, title=a.title, version=a.version, accepted=True, accepted_at=at)
        for a, at in done])
