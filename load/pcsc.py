"""The ``pcsc`` profile's user: PER-RT whose 立即解锁 goes through the real reader path,
pyscard → pcscd → vpcd → the card process (load/reader_cards.py), at low concurrency.

Everything else is the ``PersonalRealtimeUser`` flow and reports (FLOW rows, steps).
Creating and inserting the card is reported on its own (type ``PCSC``) and is part of
the flow's time, as a user plugs the key in before 立即解锁.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from emulator.personas import TestCA
from load.pool import Lease
from load.population import Account
from load.reader_cards import ReaderCards
from load.steps import Applicant
from load.users import PersonalRealtimeUser, offload
from szca_unlock.ukey.pcsc import PcscDriver

INSERT_NAME = "C-5 insert the blocked U-KEY (vpcd reader)"


class PcscRealtimeUser(PersonalRealtimeUser):
    """PER-RT, the key in a virtual reader of the load world's own pcscd."""

    weight = 1

    def on_start(self) -> None:
        super().on_start()
        manifest = self.ctx.manifest
        if not manifest.ukey_home:
            raise RuntimeError("the load world runs no card readers: use the pcsc profile")
        self.cards = ReaderCards(Path(manifest.ukey_home),
                                 TestCA.load_or_create(Path(manifest.ca_dir)),
                                 self.ctx.master_key, offload)

    def flow(self, applicant: Applicant, lease: Lease[Account]) -> str:
        return f"{super().flow(applicant, lease)} (pcscd)"

    @contextmanager
    def locked_key(self, account: Account) -> Iterator[PcscDriver]:
        cert = account.certificate
        assert cert is not None
        started, error = time.perf_counter(), None
        try:
            card = self.cards.insert_locked(cert)
        except Exception as exc:
            error = exc
            raise
        finally:
            self.environment.events.request.fire(
                request_type="PCSC", name=INSERT_NAME,
                response_time=(time.perf_counter() - started) * 1000, response_length=0,
                response=None, context={}, exception=error)
        try:
            yield card.driver
        finally:
            self.cards.discard(card.serial)
