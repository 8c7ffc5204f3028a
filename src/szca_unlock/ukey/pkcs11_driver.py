"""PKCS#11 driver (python-pkcs11; tested on SoftHSM2).

PIN status comes from the token flags only: PKCS#11 has no "tries left" counter, just
USER_PIN_COUNT_LOW / FINAL_TRY / LOCKED. SoftHSM2 never locks a user PIN, so there
``blocked`` stays False however many wrong PINs were tried (docs/decisions/agent.md).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from typing import cast

import pkcs11
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass, TokenFlag
from pkcs11 import exceptions as p11
from pkcs11.types import SignMixin

from szca_unlock.logsetup import get_logger
from szca_unlock.ukey.base import SoPinUnlockable, UKey
from szca_unlock.ukey.errors import (
    Pkcs11Error,
    SecurityStatusNotSatisfied,
    TokenNewPinRejected,
    TokenObjectNotFound,
    TokenPinBlocked,
    TokenPinIncorrect,
    TokenSecurityStatusNotSatisfied,
)
from szca_unlock.ukey.types import DriverKind, KeyInfo, PinStatus

log = get_logger("ukey.pkcs11")

# python-pkcs11 raises one class per CKR_ code but drops the number; keep it for support.
_MAPPING: dict[type[Exception], tuple[int, type[Pkcs11Error]]] = {
    p11.PinIncorrect: (0xA0, TokenPinIncorrect),
    p11.PinInvalid: (0xA1, TokenNewPinRejected),
    p11.PinLenRange: (0xA2, TokenNewPinRejected),
    p11.PinLocked: (0xA4, TokenPinBlocked),
    p11.UserNotLoggedIn: (0x101, TokenSecurityStatusNotSatisfied),
    p11.NoSuchKey: (0x82, TokenObjectNotFound),
    p11.NoSuchToken: (0xE0, TokenObjectNotFound),
    p11.TokenNotPresent: (0xE0, Pkcs11Error),
    p11.SessionReadOnlyExists: (0xB7, Pkcs11Error),
    p11.UserAlreadyLoggedIn: (0x100, Pkcs11Error),
}


@contextlib.contextmanager
def pkcs11_errors() -> Iterator[None]:
    """The one choke point turning python-pkcs11 exceptions into ``Pkcs11Error``s."""
    try:
        yield
    except p11.PKCS11Error as exc:
        rv, cls = _MAPPING.get(type(exc), (None, Pkcs11Error))
        raise cls(exc, rv) from exc


def _text(value: str | bytes) -> str:
    return (value.decode("ascii", "replace") if isinstance(value, bytes) else value).strip()


class Pkcs11Key(UKey, SoPinUnlockable):
    """One token. A logged-in session is kept from :meth:`verify_pin` until :meth:`close`."""

    def __init__(self, token: pkcs11.Token, info: KeyInfo) -> None:
        self._token = token
        self.info = info
        self._user: pkcs11.Session | None = None

    def _public_session(self) -> pkcs11.Session:
        # rw=True: a read-only session left over blocks later SO logins (SessionReadOnlyExists)
        with pkcs11_errors():
            return self._token.open(rw=True)

    def _drop_user_session(self) -> None:
        if self._user is not None:
            with contextlib.suppress(p11.PKCS11Error):
                self._user.close()
            self._user = None

    def serial(self) -> str:
        return self.info.serial

    def certificate(self) -> bytes:
        with self._public_session() as session, pkcs11_errors():
            certs = list(session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}))
            if not certs:
                raise TokenObjectNotFound(message="U-KEY 中没有证书")
            return bytes(certs[0][Attribute.VALUE])

    def pin_status(self) -> PinStatus:
        with pkcs11_errors():
            flags = self._token.slot.get_token().flags
        blocked = bool(flags & TokenFlag.USER_PIN_LOCKED)
        tries = 0 if blocked else 1 if flags & TokenFlag.USER_PIN_FINAL_TRY else None
        return PinStatus(tries_left=tries, max_tries=None, blocked=blocked)

    def verify_pin(self, pin: str) -> None:
        self._drop_user_session()
        with pkcs11_errors():
            self._user = self._token.open(rw=True, user_pin=pin)

    def change_pin(self, old_pin: str, new_pin: str) -> None:
        self._drop_user_session()
        with pkcs11_errors(), self._token.open(rw=True, user_pin=old_pin) as session:
            session.set_pin(old_pin, new_pin)

    def sign(self, data: bytes) -> bytes:
        if self._user is None:
            raise TokenSecurityStatusNotSatisfied(message=SecurityStatusNotSatisfied.message_zh)
        with pkcs11_errors():
            key = cast(SignMixin, self._user.get_key(object_class=ObjectClass.PRIVATE_KEY))
            if key.key_type == KeyType.RSA:
                return bytes(key.sign(data, mechanism=Mechanism.SHA256_RSA_PKCS))
            # SoftHSM has no CKM_ECDSA_SHA256: hash here, sign the digest
            raw = bytes(key.sign(hashlib.sha256(data).digest(), mechanism=Mechanism.ECDSA))
        half = len(raw) // 2
        return encode_dss_signature(int.from_bytes(raw[:half], "big"),
                                    int.from_bytes(raw[half:], "big"))

    def unlock_with_so_pin(self, so_pin: str, new_user_pin: str, new_so_pin: str) -> None:
        """SO login, C_InitPIN(new user PIN), C_SetPIN(old SO, new SO), logout."""
        self._drop_user_session()
        with pkcs11_errors(), self._token.open(rw=True, so_pin=so_pin) as session:
            session.init_pin(new_user_pin)
            session.set_pin(so_pin, new_so_pin)
        log.info("token %s: user PIN re-initialised, SO PIN rotated", self.info.serial)

    def close(self) -> None:
        self._drop_user_session()


class Pkcs11Driver:
    """Tokens of one PKCS#11 module. ``serial_from="label"`` uses the token label as the
    key serial (for tokens personalised with the CA key serial in their label)."""

    kind = DriverKind.PKCS11

    def __init__(self, module_path: str, serial_from: str = "serial") -> None:
        if serial_from not in ("serial", "label"):
            raise ValueError("serial_from must be 'serial' or 'label'")
        with pkcs11_errors():
            self._lib = pkcs11.lib(module_path)
        self._serial_from = serial_from

    def _tokens(self) -> Iterator[tuple[KeyInfo, pkcs11.Token]]:
        with pkcs11_errors():
            for slot in self._lib.get_slots(token_present=True):
                token = slot.get_token()
                if not token.flags & TokenFlag.TOKEN_INITIALIZED:
                    continue
                serial = _text(token.serial if self._serial_from == "serial" else token.label)
                where = f"{_text(slot.slot_description)} / {_text(token.label)}"
                yield KeyInfo(serial, DriverKind.PKCS11, where), token

    def refresh(self) -> None:
        """Re-initialise the module so it sees tokens created (and config changed, e.g.
        ``SOFTHSM2_CONF``) since it was loaded. python-pkcs11 loads a module once per
        process, so this closes every session of it, including other drivers' ones."""
        with pkcs11_errors():
            self._lib.reinitialize()

    def list_keys(self) -> list[KeyInfo]:
        return [info for info, _ in self._tokens()]

    def open(self, key: KeyInfo) -> Pkcs11Key:
        for info, token in self._tokens():
            if info.serial == key.serial:
                return Pkcs11Key(token, info)
        raise TokenObjectNotFound(message="未找到该 U-KEY，请重新插入后重试")
