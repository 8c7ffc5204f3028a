"""Runs every operation of a schemathesis schema with generated data, positive and negative,
and collects what failed (one entry per operation and mode, after Hypothesis shrank it).

schemathesis' own pytest integration (``from_fixture`` + ``parametrize``) does not run on
pytest 9 (it rewrites ``Node._nodeid``), so the operations are driven through their Hypothesis
strategies here. ``SZCA_FUZZ_EXAMPLES`` sets the examples per operation and mode (default 15:
the default suite's bounded run; ``tox -e fuzz`` asks for more).
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

EXAMPLES = int(os.environ.get("SZCA_FUZZ_EXAMPLES", "15"))
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


@dataclass
class FuzzReport:
    failures: list[str] = field(default_factory=list)
    # "GET /api/x" -> status -> how many answers (how deep the run got; printed with -s).
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))

    def summary(self) -> str:
        return "\n".join(f"{label}: {dict(sorted(counts.items()))}"
                         for label, counts in sorted(self.statuses.items()))


def fuzz_operations(schema: Any, prepare: Callable[[Any], None],
                    checks: Sequence[Any],
                    app_for: Callable[[Any], Any] | None = None,
                    after: Callable[[int, str | None], None] | None = None) -> FuzzReport:
    """``prepare(case)`` aims a generated case (auth, real ids) before it is sent;
    ``app_for(operation)``, if given, is the ASGI app that operation runs against (a fresh
    state per operation) instead of the schema's; ``after(status, retry_after)`` sees each
    answer (a world that waits out rate limits)."""
    report = FuzzReport()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the filter matched no operation"
    for operation in operations:
        target = {"app": app_for(operation)} if app_for else {}
        for mode in MODES:
            try:
                _fuzz(operation, mode, prepare, checks, target, report, after)
            except Unsatisfiable:
                # Nothing in the operation can be made invalid (no body, only free strings).
                if mode is not GenerationMode.NEGATIVE:
                    raise
            except (Exception, BaseExceptionGroup) as exc:  # FailureGroup: the checks that failed
                report.failures.append(f"{operation.label} [{mode.value}]: {exc}")
    return report


def _fuzz(operation: Any, mode: GenerationMode, prepare: Callable[[Any], None],
          checks: Sequence[Any], target: dict[str, Any], report: FuzzReport,
          after: Callable[[int, str | None], None] | None) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        prepare(case)
        response = case.call(**target)
        report.statuses[operation.label][response.status_code] += 1
        try:
            case.validate_response(response, checks=list(checks), transport_kwargs=target)
        finally:
            if after:
                retry_after = next((values[0] for name, values in response.headers.items()
                                    if name.lower() == "retry-after" and values), None)
                after(response.status_code, retry_after)

    run()
