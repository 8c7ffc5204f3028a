"""pytest plugin for ``tox -e mutation`` only: mutmut runs several pytest sessions in one
process (the coverage pass, the clean run), then forks one pytest session per mutant.

* The PC/SC pin of the previous session (emulator/virtual_ukey/pcsc.py, one pcscd per
  process) is released when a session ends, so the next session can pin its own. The
  mutated unit tests never talk to a pcscd (the card OS runs in-process).
* The heap is frozen (``gc.freeze``) after each session: every mutant's session is forked
  from this process, and a collection that walks the parent's objects in the child costs
  seconds on a busy machine (and copies every page it touches).
* Hypothesis runs derandomised and without deadlines (the same examples for every mutant, so
  a mutant's verdict depends neither on luck nor on the machine's load) and without its
  example database (nothing written in mutants/).
"""

from __future__ import annotations

import gc
import os

import pytest
from hypothesis import settings

from emulator.virtual_ukey import pcsc

settings.register_profile("mutation", derandomize=True, database=None, deadline=None)
settings.load_profile("mutation")


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    pcsc._pinned = None
    os.environ.pop(pcsc.CSOCK_ENV, None)
    gc.collect()
    gc.freeze()
