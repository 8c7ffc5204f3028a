"""Software keys (``cryptography``): thousands of cards for load tests, no token per card."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

from emulator.virtual_ukey.keystore.base import KeyRef, raw_signature


class SoftwareKey:
    def __init__(self, private_key: ec.EllipticCurvePrivateKey) -> None:
        self._key = private_key

    def public_key(self) -> ec.EllipticCurvePublicKey:
        return self._key.public_key()

    def sign(self, digest: bytes) -> bytes:
        der = self._key.sign(digest, ec.ECDSA(utils.Prehashed(hashes.SHA256())))
        return raw_signature(der)


class SoftwareKeyStore:
    """The PKCS#8 key sits in the card's own directory (mode 0600)."""

    kind = "software"

    def __init__(self, ukey_home: Path) -> None:
        self.ukey_home = ukey_home

    def generate(self, serial: str, card_dir: Path) -> KeyRef:
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        card_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = card_dir / "key.pem"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        return {"kind": self.kind, "path": str(path)}

    def open(self, ref: KeyRef) -> SoftwareKey:
        key = serialization.load_pem_private_key(Path(ref["path"]).read_bytes(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("the card key is not an EC key")
        return SoftwareKey(key)

    def destroy(self, ref: KeyRef) -> None:
        Path(ref["path"]).unlink(missing_ok=True)
