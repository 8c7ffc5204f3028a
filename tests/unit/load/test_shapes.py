"""Every load shape ends by itself within its duration and never asks for negative users."""

from __future__ import annotations

import json

import pytest

from load.plans import Constant, MorningPeak, StepRamp, plan_from_json
from load.profiles import PROFILES


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_every_profile_stops_by_itself(name: str) -> None:
    profile = PROFILES[name]
    assert profile.shape.plan(profile.duration_s) is None
    assert profile.shape.plan(profile.duration_s + 3600) is None
    for t in range(int(profile.duration_s)):
        tick = profile.shape.plan(float(t))
        assert tick is not None and tick[0] >= 0 and tick[1] > 0


def test_step_ramp_adds_a_step_of_users_per_interval() -> None:
    ramp = StepRamp(start=10, step=5, step_s=20, steps=3)
    assert [ramp.plan(t)[0] for t in (0, 19.9, 20, 45)] == [10, 10, 15, 20]  # type: ignore[index]
    assert ramp.plan(60) is None


def test_morning_peak_rises_to_the_crest_and_falls_back() -> None:
    peak = MorningPeak(base=5, peak=60, duration_s=100, crest_at=0.4)
    users = [peak.plan(float(t))[0] for t in range(100)]  # type: ignore[index]
    assert users[0] == 5 and users[40] == 60 and max(users) == 60
    assert users[:41] == sorted(users[:41]) and users[40:] == sorted(users[40:], reverse=True)
    assert users[99] < 10


def test_profiles_travel_to_locust_as_json() -> None:
    for profile in PROFILES.values():
        assert plan_from_json(profile.shape_json()) == profile.shape
    assert json.loads(PROFILES["smoke"].shape_json())["kind"] == "constant"


def test_smoke_gives_every_class_users_and_fits_in_a_minute() -> None:
    smoke = PROFILES["smoke"]
    assert smoke.strict and smoke.fixed_per_class >= 1
    assert isinstance(smoke.shape, Constant)
    assert smoke.shape.users >= smoke.fixed_per_class * len(smoke.classes)
    assert smoke.duration_s + smoke.stop_timeout_s <= 40  # + world start-up (~6 s) < 60 s


def test_overrides_change_users_and_duration() -> None:
    soak = PROFILES["soak"].with_overrides(users=3, duration_s=30)
    assert soak.shape == Constant(users=3, duration_s=30, ramp_s=10)
    peak = PROFILES["peak"].with_overrides(users=100, duration_s=None)
    assert isinstance(peak.shape, MorningPeak) and peak.shape.peak == 100
