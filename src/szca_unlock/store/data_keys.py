"""Keys for personal data at rest (ID numbers, bank cards, mobiles), derived from the CA
master key with labels of their own, so none equals a card key, the SO PIN seal or the OTP
pepper.

* **Encryption**: AES-256-GCM, a fresh 96-bit nonce per value, the column (``orders.form``)
  as associated data so a value cannot be moved to another column. A stored value reads
  ``E<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>``: the key id names the HKDF label the
  key came from, so a later key (id 2) can encrypt new values while id 1 still opens the
  old ones until a migration rewrites them.
* **Lookup hashes**: HMAC-SHA256 under a separate key over ``kind ‖ 0x00 ‖ value`` (hex),
  for the columns the service finds rows by (login codes, my orders, holders): equality
  without the plaintext; ``kind`` keeps a mobile's hash from matching an ID number's.

Keys are derived once per master key in a process (``data_keys``), never per row. An
engine learns its keys from ``use_data_keys``; the column types (``store/encrypted.py``)
find them through the dialect they are handed.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os
import weakref

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Dialect, Engine

from szca_unlock.unlock.keys import MASTER_KEY_LEN

_SALT = b"SZCA-DATA-AT-REST-V1"
_HASH_INFO = b"pii-lookup-hash"
_NONCE_LEN = 12
CURRENT_KEY_ID = 1
TOKEN_PREFIX = "E"  # "E1.": no mobile, ID number, card number or JSON object starts so


class DataKeysMissing(RuntimeError):
    """Personal data was written or read on an engine that has no data keys."""

    def __init__(self) -> None:
        super().__init__("this database holds encrypted personal data: open it with the "
                         "service's master key (Database(url, master_key=...), "
                         "SZCA_UNLOCK_MASTER_KEY)")


class DecryptionFailed(ValueError):
    """A stored value is not ours: unknown format or key, or altered."""


def _derive(master_key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=info).derive(master_key)


class DataKeys:
    """The encryption keys (by key id) and the lookup-hash key of one master key."""

    def __init__(self, master_key: bytes, key_ids: tuple[int, ...] = (CURRENT_KEY_ID,),
                 current: int = CURRENT_KEY_ID) -> None:
        if len(master_key) != MASTER_KEY_LEN:
            raise ValueError(f"master key must be {MASTER_KEY_LEN} bytes, got {len(master_key)}")
        if current not in key_ids:
            raise ValueError("the current key id must be one of the key ids")
        self._aead = {kid: AESGCM(_derive(master_key, b"pii-aead:%d" % kid)) for kid in key_ids}
        self._current = current
        self._hash_key = _derive(master_key, _HASH_INFO)

    def __repr__(self) -> str:  # never print keys
        return f"DataKeys(key_ids={sorted(self._aead)}, current={self._current})"

    def encrypt(self, plaintext: str, column: str) -> str:
        nonce = os.urandom(_NONCE_LEN)
        sealed = self._aead[self._current].encrypt(nonce, plaintext.encode("utf-8"),
                                                   column.encode("ascii"))
        body = base64.urlsafe_b64encode(nonce + sealed).decode("ascii").rstrip("=")
        return f"{TOKEN_PREFIX}{self._current}.{body}"

    def decrypt(self, token: str, column: str) -> str:
        head, _, body = token.partition(".")
        key_id = _key_id(head)
        aead = self._aead.get(key_id) if body and key_id is not None else None
        if aead is None:
            raise DecryptionFailed(f"{column}: not a value encrypted under a known data key")
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            plain = aead.decrypt(raw[:_NONCE_LEN], raw[_NONCE_LEN:], column.encode("ascii"))
        except (binascii.Error, InvalidTag, ValueError) as exc:
            raise DecryptionFailed(f"{column}: the stored value does not open under the "
                                   "data key (altered, or another master key)") from exc
        return plain.decode("utf-8")

    def lookup_hash(self, kind: str, value: str) -> str:
        message = kind.encode("ascii") + b"\x00" + value.encode("utf-8")
        return hmac.new(self._hash_key, message, hashlib.sha256).hexdigest()


def _key_id(head: str) -> int | None:
    digits = head[len(TOKEN_PREFIX):]
    if not head.startswith(TOKEN_PREFIX) or not digits.isdigit():
        return None
    return int(digits)


def is_encrypted(value: str) -> bool:
    """True for a stored token (``E<id>.…``), False for a plaintext an older revision kept."""
    head, dot, _ = value.partition(".")
    return bool(dot) and _key_id(head) is not None


@functools.lru_cache(maxsize=8)
def data_keys(master_key: bytes) -> DataKeys:
    """The data keys of ``master_key``, derived once per process."""
    return DataKeys(master_key)


_BY_DIALECT: weakref.WeakKeyDictionary[Dialect, DataKeys] = weakref.WeakKeyDictionary()


def use_data_keys(engine: Engine, keys: DataKeys) -> None:
    """Statements on ``engine`` encrypt, decrypt and hash with ``keys`` (each engine has a
    dialect of its own, so two databases in one process keep their own keys)."""
    _BY_DIALECT[engine.dialect] = keys


def keys_for(dialect: Dialect) -> DataKeys:
    keys = _BY_DIALECT.get(dialect)
    if keys is None:
        raise DataKeysMissing()
    return keys
