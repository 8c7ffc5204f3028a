"""The CA master key of an emulated world: the unlock authority derives each card's admin
key from it and seals the PKCS#11 tokens' SO PINs with it. 32 random bytes per home, kept
in ``<home>/master.key`` (0600); ``SZCA_UNLOCK_MASTER_KEY`` (hex) wins, as for the service."""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from szca_unlock.unlock.keys import MASTER_KEY_LEN

ENV = "SZCA_UNLOCK_MASTER_KEY"


@dataclass(frozen=True)
class MasterKey:
    value: bytes = field(repr=False)  # a secret: never in a repr or a log line

    def __post_init__(self) -> None:
        if len(self.value) != MASTER_KEY_LEN:
            raise ValueError(f"master key must be {MASTER_KEY_LEN} bytes, got {len(self.value)}")

    @classmethod
    def generate(cls) -> MasterKey:
        return cls(secrets.token_bytes(MASTER_KEY_LEN))

    @classmethod
    def from_hex(cls, text: str) -> MasterKey:
        try:
            return cls(bytes.fromhex(text.strip()))
        except ValueError as exc:
            raise ValueError(f"a master key is {2 * MASTER_KEY_LEN} hex digits: {exc}") from None

    @classmethod
    def of_home(cls, home: Path) -> MasterKey:
        """This home's key, created on first use; ``$SZCA_UNLOCK_MASTER_KEY`` wins."""
        from_env = os.environ.get(ENV)
        if from_env:
            return cls._parse(from_env, f"${ENV}")
        path = home / "master.key"
        if not path.exists():
            _create_once(path, cls.generate().hex)
        return cls._parse(path.read_text(), str(path))

    @classmethod
    def _parse(cls, text: str, where: str) -> MasterKey:
        try:
            return cls.from_hex(text)
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None

    @property
    def hex(self) -> str:
        """For the service's environment (``SZCA_UNLOCK_MASTER_KEY``)."""
        return self.value.hex()


def _create_once(path: Path, text: str) -> None:
    """``path`` with ``text`` (0600), whole or not at all: written aside, then linked in, so
    a crash never leaves an empty key and a concurrent first use keeps the first one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(FileExistsError):  # another process was first: theirs
            os.link(aside, path)
    finally:
        aside.unlink()
