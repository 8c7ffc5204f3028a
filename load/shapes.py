"""The locustfile's single ``LoadTestShape``, following the plan the runner passes as JSON
in ``SZCA_LOAD_SHAPE`` (load/plans.py, load/profiles.py)."""

from __future__ import annotations

import os
from typing import ClassVar

from locust import LoadTestShape

from load.plans import SHAPE_ENV, Tick, plan_from_json


def shape_class() -> type[LoadTestShape]:
    """The one ``LoadTestShape`` of this run, configured from ``SZCA_LOAD_SHAPE``."""
    raw = os.environ.get(SHAPE_ENV, '{"kind": "constant"}')
    plan = plan_from_json(raw)

    class ProfileShape(LoadTestShape):
        abstract: ClassVar[bool] = False
        description = f"{type(plan).__name__}: {raw}"

        def tick(self) -> Tick:
            # Named through the base class: mypy's untyped_calls_exclude (pyproject.toml)
            # matches the class the method is looked up on.
            return plan.plan(LoadTestShape.get_run_time(self))

    return ProfileShape
