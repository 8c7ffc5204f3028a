"""The project's pytest plugin (entry point ``pytest11: szca``).

Fixtures live next to what they start; this module only gathers them so that any
test suite (ours, or QA's own) gets them by installing the distribution.
"""

from __future__ import annotations
