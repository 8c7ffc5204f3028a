"""The format of ``staff_users.password_hash``: scrypt with a per-user salt.

``scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>``; parameters travel with the hash so they can
be raised later without invalidating stored ones.
"""

from __future__ import annotations

import hashlib
import hmac
import os

_N, _R, _P, _LEN = 2**14, 8, 1, 32


def hash_password(password: str, *, n: int = _N) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=_R, p=_P, dklen=_LEN)
    return f"scrypt${n}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """True if ``password`` matches ``stored``; False for a wrong password or a bad record."""
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n),
                                r=int(r), p=int(p), dklen=len(expected) // 2)
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), expected)
