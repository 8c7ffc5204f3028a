"""Column types for personal data at rest (keys: ``store/data_keys.py``).

The models keep plain ``str``/``dict`` attributes; these types encrypt on the way in and
decrypt on the way out, so the rest of the code is unchanged. A column the service looks
rows up by gets a sibling ``LookupHash`` column, kept in step by ``hashed_by``: queries
compare the hash column with the plaintext (``OrderRow.owner_mobile_hash == mobile``), which
is hashed when the statement binds it. Comparing an encrypted column itself is refused at
once: randomised ciphertexts never compare equal, so it could only ever find nothing.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Dialect, String, Text, event
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql import operators
from sqlalchemy.types import TypeDecorator

from szca_unlock.store.data_keys import keys_for

_EQUALITY = frozenset({operators.eq, operators.ne, operators.in_op, operators.not_in_op,
                       operators.like_op, operators.ilike_op, operators.startswith_op,
                       operators.endswith_op, operators.contains_op})


class EncryptedColumnCompared(TypeError):
    """A query compared an encrypted column; compare its lookup-hash column instead."""


class _Encrypted(TypeDecorator[Any]):
    impl = Text
    cache_ok = True

    def __init__(self, column: str) -> None:
        super().__init__()
        self.column = column  # table.column: bound into the ciphertext

    class comparator_factory(TypeDecorator.Comparator[Any]):
        def operate(self, op: Any, *other: Any, **kwargs: Any) -> Any:
            if op in _EQUALITY and not (other and other[0] is None):
                raise EncryptedColumnCompared(
                    f"{getattr(self.type, 'column', '?')} is encrypted at rest: compare its "
                    "lookup hash column (…_hash) instead")
            return super().operate(op, *other, **kwargs)


class EncryptedString(_Encrypted):
    """A ``str`` stored as an AES-GCM token."""

    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else keys_for(dialect).encrypt(value, self.column)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else keys_for(dialect).decrypt(value, self.column)


class EncryptedJSON(_Encrypted):
    """A JSON object (an order's form, a verification's detail) stored as one token."""

    cache_ok = True

    def process_bind_param(self, value: dict[str, Any] | None,
                           dialect: Dialect) -> str | None:
        if value is None:
            return None
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return keys_for(dialect).encrypt(text, self.column)

    def process_result_value(self, value: str | None,
                             dialect: Dialect) -> dict[str, Any] | None:
        if value is None:
            return None
        loaded: dict[str, Any] = json.loads(keys_for(dialect).decrypt(value, self.column))
        return loaded


class Hashed(str):
    """A lookup hash as read from the database: bound again as it is, never re-hashed."""

    __slots__ = ()


class LookupHash(TypeDecorator[str]):
    """HMAC of a plaintext (hex): bind the plaintext, the database keeps only the hash."""

    impl = String(64)
    cache_ok = True

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind  # "mobile", "id_number": one value's hashes differ per kind

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or isinstance(value, Hashed):
            return value
        return keys_for(dialect).lookup_hash(self.kind, value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else Hashed(value)


def hashed_by(plain: InstrumentedAttribute[Any], hashed: InstrumentedAttribute[Any]) -> None:
    """Whenever ``plain`` is set, ``hashed`` is set to the same plaintext (hashed on bind)."""
    name = hashed.key

    @event.listens_for(plain, "set")
    def _mirror(target: Any, value: Any, _old: Any, _initiator: Any) -> None:
        setattr(target, name, value)
