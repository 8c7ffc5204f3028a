"""PIN policy (length and alphabet per card) and PIN hashing: the card never stores a PIN."""

from __future__ import annotations

import hashlib
import hmac
import os
import string
from dataclasses import dataclass

_ALPHABET = frozenset((string.ascii_letters + string.digits).encode("ascii"))


@dataclass(frozen=True)
class PinPolicy:
    """Length rule of a card's user PIN (ASCII letters and digits only)."""

    min_length: int = 6
    max_length: int = 16

    def __post_init__(self) -> None:
        if not 1 <= self.min_length <= self.max_length <= 16:
            raise ValueError("PIN length rule must satisfy 1 <= min <= max <= 16")

    def accepts(self, pin: bytes) -> bool:
        return self.min_length <= len(pin) <= self.max_length and set(pin) <= _ALPHABET


@dataclass(frozen=True)
class PinHash:
    """scrypt(PIN, salt) with its cost, serialised as ``scrypt$n$r$p$salt$hash`` (hex)."""

    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes

    @classmethod
    def create(cls, pin: bytes, n: int = 2**14, r: int = 8, p: int = 1) -> PinHash:
        salt = os.urandom(16)
        return cls(n, r, p, salt, cls._derive(pin, salt, n, r, p))

    @staticmethod
    def _derive(pin: bytes, salt: bytes, n: int, r: int, p: int) -> bytes:
        return hashlib.scrypt(pin, salt=salt, n=n, r=r, p=p, dklen=32)

    def matches(self, pin: bytes) -> bool:
        candidate = self._derive(pin, self.salt, self.n, self.r, self.p)
        return hmac.compare_digest(candidate, self.digest)

    def render(self) -> str:
        return f"scrypt${self.n}${self.r}${self.p}${self.salt.hex()}${self.digest.hex()}"

    @classmethod
    def parse(cls, text: str) -> PinHash:
        kind, n, r, p, salt, digest = text.split("$")
        if kind != "scrypt":
            raise ValueError(f"unknown PIN hash scheme {kind!r}")
        return cls(int(n), int(r), int(p), bytes.fromhex(salt), bytes.fromhex(digest))


class PinChecker:
    """Checks PINs against the stored hash; remembers the last good PIN as a keyed MAC.

    scrypt costs ~35 ms; a real card compares in microseconds. After one successful scrypt
    check the card keeps HMAC(process key, PIN) in RAM only, so repeated VERIFY of the
    right PIN is fast while every wrong PIN still pays the full scrypt cost.
    """

    def __init__(self, pin_hash: PinHash) -> None:
        self._hash = pin_hash
        self._key = os.urandom(32)
        self._last_good: bytes | None = None

    def _mac(self, pin: bytes) -> bytes:
        return hmac.digest(self._key, pin, "sha256")

    def matches(self, pin: bytes) -> bool:
        if self._last_good is not None and hmac.compare_digest(self._mac(pin), self._last_good):
            return True
        if self._hash.matches(pin):
            self._last_good = self._mac(pin)
            return True
        return False

    def replace(self, pin_hash: PinHash, pin: bytes) -> None:
        self._hash = pin_hash
        self._last_good = self._mac(pin)
