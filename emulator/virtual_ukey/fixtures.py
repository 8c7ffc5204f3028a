"""pytest fixtures for virtual U-KEY cards and the pcscd + vpcd world.

Registered by the project's pytest plugin (emulator/pytest_plugin.py); do not import them
again in a conftest: a session fixture defined twice is two worlds, and a test process
talks to one (``ukey_pcsc_binding`` refuses a second). Fixture names: ukey_home,
ukey_master_key, ukey_key_store, ukey_issuer, ukey_card_factory, ukey_world, ukey_inserted_card
(``InsertedCard`` is the value type the last one returns), and the autouse
ukey_pcsc_binding.

Each test process (each xdist worker) has a world of its own: its own pcscd, readers and
cards in its own home, so test processes never wait for or see each other's readers.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from emulator.virtual_ukey import pcsc
from emulator.virtual_ukey.factory import CardSpec, CertificateIssuer, create_card, delete_card
from emulator.virtual_ukey.keystore import KINDS
from emulator.virtual_ukey.registry import runtime_dir_of
from emulator.virtual_ukey.selfsigned import self_signed_issuer
from emulator.virtual_ukey.state import CardRepository, CardState
from emulator.virtual_ukey.world import VirtualUKeyWorld

__all__ = [
    "InsertedCard",
    "ukey_card_factory",
    "ukey_home",
    "ukey_inserted_card",
    "ukey_issuer",
    "ukey_key_store",
    "ukey_master_key",
    "ukey_pcsc_binding",
    "ukey_world",
]

CardFactory = Callable[..., CardState]


@pytest.fixture(scope="session")
def ukey_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``<SZCA_HOME>/ukey`` of this test session (SoftHSM is loaded once per process)."""
    home = tmp_path_factory.mktemp("szca") / "ukey"
    home.mkdir()
    return home


@pytest.fixture(scope="session", autouse=True)
def ukey_pcsc_binding(ukey_home: Path) -> Path:
    """Point this test process's PC/SC clients (pyscard, the agent) at its own world before
    any test runs: libpcsclite reads ``PCSCLITE_CSOCK_NAME`` once, at its first connection,
    so a test that first started another world (e.g. ``szca-emulator up`` in a temporary
    home) must not decide which pcscd the process talks to. Returns the socket path."""
    socket = pcsc.socket_path(runtime_dir_of(ukey_home))
    pcsc.pin_process(socket)
    return socket


@pytest.fixture(scope="session")
def ukey_master_key() -> bytes:
    """The CA master key MK the cards of this session are personalised with."""
    return os.urandom(32)


@pytest.fixture(params=KINDS)
def ukey_key_store(request: pytest.FixtureRequest) -> str:
    """Each card test runs once per key store ("softhsm", "software")."""
    return str(request.param)


@pytest.fixture(scope="session")
def ukey_issuer() -> CertificateIssuer:
    return self_signed_issuer()


@pytest.fixture
def ukey_card_factory(
    ukey_home: Path, ukey_master_key: bytes, ukey_key_store: str, ukey_issuer: CertificateIssuer
) -> Iterator[CardFactory]:
    """``make(**spec_fields) -> CardState``: a fresh card with a unique serial, deleted after."""
    repo = CardRepository(ukey_home)
    made: list[str] = []

    def make(**fields: Any) -> CardState:
        serial = fields.pop("serial", None) or f"SZT{secrets.token_hex(5).upper()}"
        fields.setdefault("pin", "123456")
        fields.setdefault("key_store", ukey_key_store)
        state = create_card(CardSpec(serial=serial, **fields), ukey_issuer,
                            master_key=ukey_master_key, repo=repo)
        made.append(serial)
        return state

    yield make
    for serial in made:
        if repo.exists(serial):
            delete_card(serial, repo)


@dataclass(frozen=True)
class InsertedCard:
    state: CardState
    reader: str

    @property
    def serial(self) -> str:
        return self.state.serial


@pytest.fixture(scope="session")
def ukey_world(ukey_home: Path) -> Iterator[VirtualUKeyWorld]:
    """This test process's pcscd + vpcd world; the tests that need it are skipped where
    pcscd is not installed or a world cannot be started (not root)."""
    if shutil.which("pcscd") is None:
        pytest.skip("pcscd is not installed (scripts/install-system-deps.sh)")
    why_not = pcsc.namespaces_available()
    if why_not:
        pytest.skip(why_not)
    world = VirtualUKeyWorld(ukey_home)
    world.start()
    yield world
    world.stop()


@pytest.fixture
def ukey_inserted_card(
    ukey_world: VirtualUKeyWorld, ukey_card_factory: CardFactory
) -> Iterator[Callable[..., InsertedCard]]:
    """``insert(**spec_fields) -> InsertedCard``: a new card in a free reader, removed after."""
    inserted: list[str] = []

    def insert(**fields: Any) -> InsertedCard:
        state = ukey_card_factory(**fields)
        reader = ukey_world.insert(state.serial)
        inserted.append(state.serial)
        return InsertedCard(state, reader)

    yield insert
    for serial in inserted:
        if ukey_world.status(serial).reader:
            ukey_world.remove(serial)
