"""Personalise, open, reset and destroy cards: the only code that creates card state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import ec

from emulator.virtual_ukey.card_os import UKeyOS
from emulator.virtual_ukey.keystore import KeyStore, key_store
from emulator.virtual_ukey.pin import PinHash, PinPolicy
from emulator.virtual_ukey.protocol import derive_unlock_key
from emulator.virtual_ukey.state import CardRepository, CardState, check_serial

CertificateIssuer = Callable[[ec.EllipticCurvePublicKey], bytes]
"""Issues the card's certificate for its public key, returns DER (e.g. a persona's CA)."""


class CardExists(ValueError):
    """A card with this serial already exists under this home."""


@dataclass(frozen=True)
class CardSpec:
    """What a new card is made of. ``pin_cost`` is scrypt's N (lower only for load tests)."""

    serial: str
    pin: str
    max_tries: int = 6
    admin_max: int = 10
    pin_min: int = 6
    pin_max: int = 16
    challenge_lifetime_s: float = 120.0
    key_store: str = "softhsm"
    pin_cost: int = 2**14

    def __post_init__(self) -> None:
        check_serial(self.serial)
        if not PinPolicy(self.pin_min, self.pin_max).accepts(self.pin.encode()):
            raise ValueError(
                f"initial PIN must be {self.pin_min}-{self.pin_max} ASCII letters or digits")
        if not (1 <= self.max_tries <= 15 and 1 <= self.admin_max <= 15):
            raise ValueError("retry limits must be 1..15 (they travel as 63Cx)")


def _store_for(state_or_kind: CardState | str, repo: CardRepository) -> KeyStore:
    kind = state_or_kind if isinstance(state_or_kind, str) else state_or_kind.key_ref["kind"]
    return key_store(kind, repo.home)


def create_card(
    spec: CardSpec,
    issue_certificate: CertificateIssuer,
    *,
    master_key: bytes | None = None,
    unlock_key: bytes | None = None,
    repo: CardRepository | None = None,
) -> CardState:
    """Generate the key pair, have its certificate issued, write the card state.

    Give either the CA ``master_key`` (K is derived as the service does) or ``unlock_key``.
    """
    repo = repo or CardRepository()
    if repo.exists(spec.serial):
        raise CardExists(f"key serial {spec.serial} already exists")
    if (master_key is None) == (unlock_key is None):
        raise ValueError("give exactly one of master_key or unlock_key")
    k = unlock_key if unlock_key is not None else derive_unlock_key(master_key or b"", spec.serial)
    if len(k) != 16:
        raise ValueError("the unlock key K is 16 bytes (AES-128)")
    store = _store_for(spec.key_store, repo)
    ref = store.generate(spec.serial, repo.card_dir(spec.serial))
    try:
        cert = issue_certificate(store.open(ref).public_key())
        state = CardState(
            serial=spec.serial,
            pin_hash=PinHash.create(spec.pin.encode(), n=spec.pin_cost).render(),
            unlock_key=k.hex(),
            cert_der=cert.hex(),
            key_ref=ref,
            max_tries=spec.max_tries,
            tries_left=spec.max_tries,
            admin_max=spec.admin_max,
            admin_left=spec.admin_max,
            pin_min=spec.pin_min,
            pin_max=spec.pin_max,
            challenge_lifetime_s=spec.challenge_lifetime_s,
            extra={"pin_cost": spec.pin_cost},
        )
        repo.save(state)
    except BaseException:
        store.destroy(ref)
        raise
    return state


def open_card(
    serial: str, repo: CardRepository | None = None, clock: Callable[[], float] | None = None
) -> UKeyOS:
    """The card OS for a stored card; its state changes are saved back atomically."""
    repo = repo or CardRepository()
    state = repo.load(serial)
    key = _store_for(state, repo).open(state.key_ref)
    if clock is None:
        return UKeyOS(state, key, repo.save)
    return UKeyOS(state, key, repo.save, clock)


def reset_card(serial: str, pin: str, repo: CardRepository | None = None) -> CardState:
    """Factory state: both counters full, the given PIN; key, certificate and K are kept."""
    repo = repo or CardRepository()
    state = repo.load(serial)
    if not PinPolicy(state.pin_min, state.pin_max).accepts(pin.encode()):
        raise ValueError(f"PIN must be {state.pin_min}-{state.pin_max} ASCII letters or digits")
    cost = int(state.extra.get("pin_cost", 2**14))
    new = state.with_(
        pin_hash=PinHash.create(pin.encode(), n=cost).render(),
        tries_left=state.max_tries,
        admin_left=state.admin_max,
    )
    repo.save(new)
    return new


def delete_card(serial: str, repo: CardRepository | None = None) -> None:
    """Destroy the card's key (token or key file) and its state directory."""
    repo = repo or CardRepository()
    state = repo.load(serial)
    _store_for(state, repo).destroy(state.key_ref)
    repo.delete(serial)

