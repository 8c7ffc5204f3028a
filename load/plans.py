"""Load shapes as pure plans: ``plan(t) -> (users, spawn_rate) | None`` (None: stop), so
every profile is bounded in time and ends by itself. Kept free of Locust (which patches
the interpreter with gevent on import) so tests and the runner can use them."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

SHAPE_ENV = "SZCA_LOAD_SHAPE"
Tick = tuple[int, float] | None


@dataclass(frozen=True)
class Constant:
    """``users`` for ``duration_s`` (smoke, soak), reached within ``ramp_s``."""

    users: int = 8
    duration_s: float = 30.0
    ramp_s: float = 2.0

    def plan(self, t: float) -> Tick:
        if t >= self.duration_s:
            return None
        return self.users, max(1.0, self.users / max(self.ramp_s, 0.1))


@dataclass(frozen=True)
class StepRamp:
    """``start`` users, ``step`` more every ``step_s`` seconds, ``steps`` steps: the service
    saturates somewhere on the way (read it off the summary per step)."""

    start: int = 10
    step: int = 10
    step_s: float = 30.0
    steps: int = 8

    def plan(self, t: float) -> Tick:
        index = int(t // self.step_s)
        if index >= self.steps:
            return None
        return self.start + index * self.step, float(max(self.step, 1))

    @property
    def duration_s(self) -> float:
        return self.step_s * self.steps


@dataclass(frozen=True)
class MorningPeak:
    """A working morning compressed into ``duration_s``: ``base`` users at opening, rising
    to ``peak`` about 40 % in (the 09:30-10:30 rush) and falling back to ``base``."""

    base: int = 5
    peak: int = 60
    duration_s: float = 300.0
    crest_at: float = 0.4

    def plan(self, t: float) -> Tick:
        if t >= self.duration_s:
            return None
        x = t / self.duration_s
        # Two half-cosines meeting at the crest: smooth, 0 at both ends, 1 at the crest.
        phase = x / self.crest_at if x <= self.crest_at else (1 - x) / (1 - self.crest_at)
        level = (1 - math.cos(math.pi * phase)) / 2
        users = round(self.base + (self.peak - self.base) * level)
        return users, max(1.0, (self.peak - self.base) / (self.duration_s * self.crest_at) * 4)


SHAPES: dict[str, type[Any]] = {"constant": Constant, "step": StepRamp, "peak": MorningPeak}


def plan_from_json(raw: str) -> Constant | StepRamp | MorningPeak:
    spec = json.loads(raw)
    kind = spec.pop("kind")
    return SHAPES[kind](**spec)  # type: ignore[no-any-return]


