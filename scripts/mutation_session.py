"""pytest plugin for ``tox -e mutation`` only: mutmut runs several pytest sessions in one
process (the coverage pass, the clean run, then forked mutants), and each session makes its
own temporary world. The PC/SC pin of the previous session (emulator/virtual_ukey/pcsc.py,
one pcscd per process) is released when a session ends, so the next session can pin its own.
The mutated unit tests never talk to a pcscd (the card OS runs in-process)."""

from __future__ import annotations

import os

import pytest

from emulator.virtual_ukey import pcsc


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    pcsc._pinned = None
    os.environ.pop(pcsc.CSOCK_ENV, None)
