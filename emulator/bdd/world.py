"""One scenario's world: its cast, the service it talks to (from the scenario's own address),
the providers' control API, its U-KEYs in the virtual readers, and marks into the shared SMS
outbox and provider journal."""

from __future__ import annotations

from dataclasses import dataclass, field

from emulator.mock_providers.client import ProviderControl
from emulator.mock_providers.journal import JournalEntry
from emulator.mock_providers.sms.models import SmsMessage
from emulator.personas import PersonaCertificate, Scenario, TestCA
from emulator.testing.clock import TestClock
from emulator.testing.keys import ReaderKey, lock_in_reader
from emulator.virtual_ukey.world import VirtualUKeyWorld
from szca_unlock.client import ServiceClient

from .cast import ForwardedFor


@dataclass
class BddWorld:
    scenario: Scenario
    base_url: str
    control: ProviderControl
    ukeys: VirtualUKeyWorld
    ca: TestCA
    master_key: bytes
    clock: TestClock | None  # None against a deployment: its clock is not ours to move
    client_address: str  # the scenario's users speak from here (emulator.bdd.cast)
    keys: list[ReaderKey] = field(default_factory=list)
    _journal_mark: int = 0
    _outbox_mark: frozenset[str] = frozenset()

    def mark(self) -> None:
        """Remember what the shared outbox and journal held before this scenario."""
        entries = self.control.journal()
        self._journal_mark = max((e.id for e in entries), default=0)
        self._outbox_mark = frozenset(m.serial_no for m in self.control.outbox())

    def service_client(self) -> ServiceClient:
        """A browser session of this scenario's user (a new login, the scenario's address)."""
        return ServiceClient(self.base_url, timeout_s=30.0,
                             transport=ForwardedFor(self.client_address))

    def locked_key(self, persona: PersonaCertificate) -> ReaderKey:
        key = lock_in_reader(self.ukeys, self.ca, persona, self.master_key)
        self.keys.append(key)
        return key

    def journal(self, **filters: str) -> list[JournalEntry]:
        """The providers' exchanges about this scenario's cast since it began (a deployment's
        providers also serve the scenarios running beside it)."""
        return [e for e in self.control.journal(**filters)
                if e.id > self._journal_mark and self._concerns(e)]

    def _concerns(self, entry: JournalEntry) -> bool:
        people = self.scenario.people.values()
        if entry.mobile in {m for p in people for m in (p.mobile, p.reserved_mobile)}:
            return True
        if entry.id_number in {p.id_number for p in people}:
            return True
        # Corporate transfers name the account, in the request or in the answer.
        text = f"{entry.request} {entry.response}"
        return any(c.account.account_no in text for c in self.scenario.companies.values())

    def outbox(self, mobile: str) -> list[SmsMessage]:
        """SMS sent to ``mobile`` during this scenario, newest first."""
        return [m for m in self.control.outbox(mobile) if m.serial_no not in self._outbox_mark]

    def close(self) -> None:
        for key in self.keys:
            key.discard()
