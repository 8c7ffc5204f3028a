"""pytest fixtures for virtual U-KEY cards and the pcscd + vpcd world.

Register with ``from emulator.virtual_ukey.fixtures import *`` (or list this module in a
plugin). Fixture names: ukey_home, ukey_master_key, ukey_key_store, ukey_issuer,
ukey_card_factory, ukey_world, ukey_inserted_card.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from emulator.virtual_ukey.factory import CardSpec, CertificateIssuer, create_card, delete_card
from emulator.virtual_ukey.keystore import KINDS
from emulator.virtual_ukey.selfsigned import self_signed_issuer
from emulator.virtual_ukey.state import CardRepository, CardState

__all__ = [
    "ukey_card_factory",
    "ukey_home",
    "ukey_issuer",
    "ukey_key_store",
    "ukey_master_key",
]

CardFactory = Callable[..., CardState]


@pytest.fixture(scope="session")
def ukey_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One ukey home per test session: SoftHSM is loaded once per process."""
    return tmp_path_factory.mktemp("ukey")


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
