"""One interface for every U-KEY, whatever reaches it (PC/SC card or PKCS#11 token)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType
from typing import Protocol

from cryptography import x509

from szca_unlock.domain.pin_policy import DEFAULT_PIN_POLICY, PinPolicy
from szca_unlock.ukey.errors import MultipleKeysFound, NoKeyFound
from szca_unlock.ukey.types import DriverKind, KeyInfo, PinStatus


class UKey(ABC):
    """An opened key. Use as a context manager; ``close`` forgets any PIN verification."""

    info: KeyInfo

    @abstractmethod
    def serial(self) -> str: ...

    @abstractmethod
    def certificate(self) -> bytes:
        """The certificate on the key, DER."""

    @abstractmethod
    def pin_status(self) -> PinStatus: ...

    @abstractmethod
    def verify_pin(self, pin: str) -> None:
        """Raises ``PinIncorrect`` (with ``tries_left`` when known) or ``PinBlocked``."""

    @abstractmethod
    def change_pin(self, old_pin: str, new_pin: str) -> None: ...

    @abstractmethod
    def sign(self, data: bytes) -> bytes:
        """Sign ``data`` (SHA-256 is applied by the driver); DER ECDSA signature that
        verifies with ``cryptography`` against :meth:`certificate`. Needs a verified PIN."""

    def pin_policy(self) -> PinPolicy:
        """The new-PIN length rule this key enforces (default: the card contract's)."""
        return DEFAULT_PIN_POLICY

    def certificate_serial(self) -> str:
        """The certificate's serial, upper-case hex without leading zeros (the service's form)."""
        return format(x509.load_der_x509_certificate(self.certificate()).serial_number, "X")

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> UKey:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


class ChallengeUnlockable(ABC):
    """A key that runs the card protocol: GET CHALLENGE + RESET RETRY COUNTER."""

    @abstractmethod
    def get_challenge(self) -> bytes: ...

    @abstractmethod
    def reset_retry_counter(self, cryptogram: bytes, new_pin: str) -> bytes:
        """Send the CA's cryptogram with the new PIN; returns the card's 16-byte receipt."""

    @abstractmethod
    def last_reset(self) -> tuple[bytes, bytes] | None:
        """The card's proof of its last reset: (challenge, receipt), or None if never."""


class SoPinUnlockable(ABC):
    """A key unlocked by its security officer: SO login, C_InitPIN, SO PIN rotation."""

    @abstractmethod
    def unlock_with_so_pin(self, so_pin: str, new_user_pin: str, new_so_pin: str) -> None: ...


class UKeyDriver(Protocol):
    kind: DriverKind

    def list_keys(self) -> list[KeyInfo]: ...

    def open(self, key: KeyInfo) -> UKey: ...


def open_single_key(driver: UKeyDriver, expected_serial: str | None = None) -> UKey:
    """Open the one key the user inserted (C-6: one key at a time).

    With ``expected_serial`` the matching key is chosen among several; without it more
    than one key is refused, so the wrong key is never reset.
    """
    keys = driver.list_keys()
    if expected_serial is not None:
        matching = [k for k in keys if k.serial == expected_serial]
        keys = matching or keys
    if not keys:
        raise NoKeyFound()
    if len(keys) > 1:
        raise MultipleKeysFound()
    return driver.open(keys[0])
