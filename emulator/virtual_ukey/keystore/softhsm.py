"""SoftHSM2 keys via python-pkcs11: one token per card, label = key serial.

The token's SO and user PINs are random and live only in the card state. SoftHSM2 never
locks a PIN, so the card's own counters are the lockout. Its config and token directory
are project-owned (``<ukey home>/softhsm/``), never the system default.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import pkcs11
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass
from pkcs11.types import PublicKey, SignMixin
from pkcs11.util.ec import encode_ec_public_key, encode_named_curve_parameters

from emulator.virtual_ukey.keystore.base import KeyRef

if TYPE_CHECKING:
    from pkcs11._pkcs11 import lib as Pkcs11Lib

LIB_PATH = os.environ.get("SZCA_SOFTHSM_LIB", "/usr/lib/softhsm/libsofthsm2.so")
_KEY_LABEL = "ukey-sign"
_lock = threading.Lock()
_loaded_conf: str | None = None


def softhsm_conf(ukey_home: Path) -> Path:
    """Write (once) and return the project's SoftHSM2 config under ``ukey_home``."""
    root = ukey_home / "softhsm"
    tokens = root / "tokens"
    tokens.mkdir(parents=True, exist_ok=True, mode=0o700)
    conf = root / "softhsm2.conf"
    text = (
        f"directories.tokendir = {tokens}\n"
        "objectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n"
    )
    if not conf.is_file() or conf.read_text() != text:
        conf.write_text(text)
    return conf


def _library(conf: Path, rescan: bool = False) -> Pkcs11Lib:
    """The process-wide PKCS#11 library, (re)initialised for ``conf``.

    SoftHSM reads SOFTHSM2_CONF and scans its tokens at C_Initialize, so a new config or a
    token created by another process needs a reinitialise.
    """
    global _loaded_conf
    os.environ["SOFTHSM2_CONF"] = str(conf)
    lib = pkcs11.lib(LIB_PATH)
    if rescan or _loaded_conf not in (None, str(conf)):
        lib.reinitialize()
    _loaded_conf = str(conf)
    return lib


class SoftHsmKey:
    def __init__(self, conf: Path, label: str, user_pin: str) -> None:
        self._conf = conf
        self._label = label
        self._pin = user_pin

    def _token(self) -> pkcs11.Token:
        with _lock:
            try:
                return _library(self._conf).get_token(token_label=self._label)
            except pkcs11.NoSuchToken:
                return _library(self._conf, rescan=True).get_token(token_label=self._label)

    def public_key(self) -> ec.EllipticCurvePublicKey:
        # rw=True: a failed login inside a RO open leaks a RO session in SoftHSM
        with self._token().open(rw=True, user_pin=self._pin) as session:
            pub = session.get_key(object_class=ObjectClass.PUBLIC_KEY, label=_KEY_LABEL)
            if not isinstance(pub, PublicKey):
                raise ValueError("the token's public key object is not a public key")
            key = serialization.load_der_public_key(encode_ec_public_key(pub))
        if not isinstance(key, ec.EllipticCurvePublicKey):
            raise ValueError("the token key is not an EC key")
        return key

    def sign(self, digest: bytes) -> bytes:
        with self._token().open(rw=True, user_pin=self._pin) as session:
            priv = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label=_KEY_LABEL)
            if not isinstance(priv, SignMixin):  # created with CKA_SIGN by generate()
                raise ValueError("the token's private key may not sign")
            return bytes(priv.sign(digest, mechanism=Mechanism.ECDSA))  # already r‖s


class SoftHsmKeyStore:
    kind = "softhsm"

    def __init__(self, ukey_home: Path) -> None:
        self.conf = softhsm_conf(ukey_home)

    def _util(self, *args: str) -> None:
        env = {**os.environ, "SOFTHSM2_CONF": str(self.conf)}
        done = subprocess.run(["softhsm2-util", *args], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"softhsm2-util {args[0]} failed: {done.stderr.strip()}")

    def generate(self, serial: str, card_dir: Path) -> KeyRef:
        # softhsm2-util only takes PINs on its command line: initialise with throw-away PINs,
        # then rotate both to secrets that never leave this process.
        tmp_so, tmp_user = secrets.token_hex(8), secrets.token_hex(8)
        self._util("--init-token", "--free", "--label", serial,
                   "--so-pin", tmp_so, "--pin", tmp_user)
        so_pin, user_pin = secrets.token_hex(16), secrets.token_hex(16)
        with _lock:
            token = _library(self.conf, rescan=True).get_token(token_label=serial)
        with token.open(rw=True, so_pin=tmp_so) as session:
            session.set_pin(tmp_so, so_pin)
        with token.open(rw=True, user_pin=tmp_user) as session:
            session.set_pin(tmp_user, user_pin)
            params = session.create_domain_parameters(
                KeyType.EC,
                {Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")},
                local=True,
            )
            params.generate_keypair(store=True, label=_KEY_LABEL, id=b"\x01")
        return {"kind": self.kind, "token_label": serial, "so_pin": so_pin, "user_pin": user_pin}

    def open(self, ref: KeyRef) -> SoftHsmKey:
        return SoftHsmKey(self.conf, ref["token_label"], ref["user_pin"])

    def destroy(self, ref: KeyRef) -> None:
        self._util("--delete-token", "--token", ref["token_label"])
        with _lock:
            _library(self.conf, rescan=True)
