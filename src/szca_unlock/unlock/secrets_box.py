"""SO PINs of PKCS#11 tokens: generation and sealing under the CA master key.

The service stores each token's SO PIN encrypted (AES-256-GCM, key derived from MK with
its own HKDF label so it never equals a card unlock key) and releases it only inside an
authorised unlock.
"""

from __future__ import annotations

import os
import secrets
import string

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from szca_unlock.unlock.keys import MASTER_KEY_LEN

_SEAL_SALT = b"SZCA-SECRET-SEAL-V1"
_SEAL_INFO = b"so-pin"
_NONCE_LEN = 12
_VERSION = b"\x01"
SO_PIN_ALPHABET = string.ascii_letters + string.digits
SO_PIN_LENGTH = 16


class SealError(ValueError):
    """A sealed secret is malformed or was not sealed under this master key."""


def generate_so_pin(length: int = SO_PIN_LENGTH) -> str:
    """A random SO PIN of letters and digits (accepted by SoftHSM and usual tokens)."""
    if not 8 <= length <= 32:
        raise ValueError("SO PIN length must be between 8 and 32")
    return "".join(secrets.choice(SO_PIN_ALPHABET) for _ in range(length))


def _seal_key(master_key: bytes) -> bytes:
    if len(master_key) != MASTER_KEY_LEN:
        raise ValueError(f"master key must be {MASTER_KEY_LEN} bytes, got {len(master_key)}")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_SEAL_SALT,
                info=_SEAL_INFO).derive(master_key)


def seal_secret(master_key: bytes, plaintext: str, context: str = "") -> bytes:
    """``version ‖ nonce ‖ AES-GCM(ct ‖ tag)``; ``context`` (e.g. the token serial) is bound
    as associated data so a sealed PIN cannot be moved to another token's row."""
    nonce = os.urandom(_NONCE_LEN)
    sealed = AESGCM(_seal_key(master_key)).encrypt(nonce, plaintext.encode("utf-8"),
                                                   context.encode("utf-8"))
    return _VERSION + nonce + sealed


def open_secret(master_key: bytes, sealed: bytes, context: str = "") -> str:
    """Inverse of :func:`seal_secret`; raises :class:`SealError` on any mismatch."""
    if len(sealed) < 1 + _NONCE_LEN + 16 or sealed[:1] != _VERSION:
        raise SealError("sealed secret has an unknown format")
    nonce, body = sealed[1:1 + _NONCE_LEN], sealed[1 + _NONCE_LEN:]
    try:
        plain = AESGCM(_seal_key(master_key)).decrypt(nonce, body, context.encode("utf-8"))
    except InvalidTag as exc:
        raise SealError("sealed secret does not open under this master key") from exc
    return plain.decode("utf-8")
