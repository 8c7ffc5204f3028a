"""The small interface every key store offers the card."""

from __future__ import annotations

from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric import ec

KeyRef = dict[str, Any]  # stored in the card state; its "kind" names the store


class CardKey(Protocol):
    """One card's private key: the card only ever signs a pre-computed SHA-256 hash."""

    def public_key(self) -> ec.EllipticCurvePublicKey: ...

    def sign(self, digest: bytes) -> bytes:
        """ECDSA P-256 over ``digest`` (32 bytes), raw ``r‖s`` (64 bytes)."""
        ...


class KeyStore(Protocol):
    kind: str

    def generate(self, serial: str, card_dir: Any) -> KeyRef:
        """Create a fresh key pair for the card ``serial``; return how to find it again."""
        ...

    def open(self, ref: KeyRef) -> CardKey: ...

    def destroy(self, ref: KeyRef) -> None: ...


def raw_signature(der: bytes) -> bytes:
    """DER ECDSA-Sig-Value → fixed 64-byte ``r‖s``."""
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    r, s = decode_dss_signature(der)
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")
