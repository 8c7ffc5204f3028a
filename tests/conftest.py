"""Settings of the project's own test suites (not the ``szca`` pytest plugin's)."""

from __future__ import annotations

from hypothesis import settings

# Hypothesis's per-example deadline is a timed assert: on a shared 2-core machine it fails
# tests whose behaviour is right (docs/testing.md: no timed asserts). A run that loaded a
# profile of its own without a deadline (the mutation run) keeps it.
settings.register_profile("szca-tests", deadline=None)
if settings.default is not None and settings.default.deadline is not None:
    settings.load_profile("szca-tests")
