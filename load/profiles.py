"""Named load profiles: population, think time, shape, user classes, and what passes."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from typing import Any

from load.plans import Constant, MorningPeak, StepRamp

# The Locust user classes of load/users.py (names only: importing Locust patches gevent
# into the interpreter; the locustfile checks that this list matches).
ALL_CLASSES = ("PersonalRealtimeUser", "OrgLegalFaceUser", "OrgLegalCarrierUser",
               "OrgLegalBankUser", "OrgDepositUser", "PersonalManualUser", "OrgManualUser",
               "StaffReviewUser", "SmsLoginStormUser", "BrowseOrdersUser")
# Users that need the pcscd + vpcd reader world (load/pcsc.py); only in the pcsc profile.
READER_CLASSES = ("PcscRealtimeUser",)


@dataclass(frozen=True)
class Profile:
    name: str
    shape: Constant | StepRamp | MorningPeak
    population: int = 5000
    think: str = "1,3"  # seconds between visits, "min,max"
    classes: tuple[str, ...] = ALL_CLASSES
    fixed_per_class: int = 0  # >0: every class gets this many users (smoke)
    strict: bool = False  # any failure, or a class with no completed flow, fails the run
    stop_timeout_s: int = 10
    card_readers: bool = False  # start pcscd + vpcd (the reader classes need it)

    @property
    def duration_s(self) -> float:
        return float(self.shape.duration_s)

    def shape_json(self) -> str:
        kind = {Constant: "constant", StepRamp: "step", MorningPeak: "peak"}[type(self.shape)]
        return json.dumps({"kind": kind, **asdict(self.shape)})

    def with_overrides(self, users: int | None, duration_s: float | None) -> Profile:
        changes: dict[str, Any] = {}
        if isinstance(self.shape, Constant):
            changes = {k: v for k, v in (("users", users), ("duration_s", duration_s))
                       if v is not None}
        elif isinstance(self.shape, MorningPeak):
            changes = {k: v for k, v in (("peak", users), ("duration_s", duration_s))
                       if v is not None}
        elif users is not None:
            changes = {"step": max(1, users // self.shape.steps)}
        return replace(self, shape=replace(self.shape, **changes))


PROFILES: dict[str, Profile] = {p.name: p for p in (
    # CI: every class, two users each, 25 s of flows; the whole run stays under 60 s.
    Profile("smoke", Constant(users=2 * len(ALL_CLASSES), duration_s=25, ramp_s=1),
            population=2000, think="0.2,0.6", fixed_per_class=2, strict=True),
    Profile("ramp", StepRamp(start=10, step=10, step_s=30, steps=8)),
    Profile("peak", MorningPeak(base=5, peak=60, duration_s=300)),
    Profile("soak", Constant(users=20, duration_s=600, ramp_s=10)),
    # The real reader path at low concurrency: 2 PER-RT users whose cards sit in vpcd
    # readers of pcscd; the whole run stays under 60 s like smoke.
    Profile("pcsc", Constant(users=2, duration_s=25, ramp_s=1), population=300,
            think="0.2,0.6", classes=READER_CLASSES, strict=True, card_readers=True),
)}
