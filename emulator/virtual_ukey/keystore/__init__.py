"""Where a card's P-256 private key lives: SoftHSM2 (default) or software (load tests)."""

from __future__ import annotations

from pathlib import Path

from emulator.virtual_ukey.keystore.base import CardKey, KeyRef, KeyStore
from emulator.virtual_ukey.keystore.softhsm import SoftHsmKeyStore
from emulator.virtual_ukey.keystore.software import SoftwareKeyStore

_STORES: dict[str, type[SoftwareKeyStore] | type[SoftHsmKeyStore]] = {
    SoftwareKeyStore.kind: SoftwareKeyStore,
    SoftHsmKeyStore.kind: SoftHsmKeyStore,
}
KINDS = tuple(_STORES)


def key_store(kind: str, ukey_home: Path) -> KeyStore:
    """The key store registered under ``kind`` ("softhsm" or "software")."""
    try:
        return _STORES[kind](ukey_home)
    except KeyError:
        raise ValueError(f"unknown key store {kind!r}; choose one of {', '.join(KINDS)}") from None


__all__ = ["KINDS", "CardKey", "KeyRef", "KeyStore", "key_store"]
