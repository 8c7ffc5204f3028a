"""PKCS#11 U-KEYs of the emulated world: SoftHSM2 tokens personalised like a CA does it.

One token per PKCS#11 persona certificate, labelled with the key serial. The key pair is
generated on the token, the test CA issues the persona's certificate over its public key,
and the certificate is stored on the token next to it. The user PIN is the persona's PIN;
the SO PIN is random and handed back once, to be sealed into the service's database
(the only place that knows it afterwards: every unlock rotates it).

Config and tokens are project-owned (``<ukey home>/softhsm-pkcs11/``), never the system
default and apart from the virtual cards' own key store (``<ukey home>/softhsm/``), so a
user can export ``SOFTHSM2_CONF`` and see exactly these tokens.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass
from pkcs11.util.ec import encode_ec_public_key, encode_named_curve_parameters
from sqlalchemy import select

from emulator.personas.ca import TestCA
from emulator.personas.issuing import issuer_for
from emulator.personas.model import PersonaCertificate
from emulator.virtual_ukey.factory import CertificateIssuer
from emulator.virtual_ukey.keystore.softhsm import LIB_PATH
from szca_unlock.store import Database
from szca_unlock.store.models_pki import UKeyRow
from szca_unlock.unlock import generate_so_pin

if TYPE_CHECKING:
    from pkcs11._pkcs11 import lib as Pkcs11Lib

MODULE = LIB_PATH  # /usr/lib/softhsm/libsofthsm2.so unless SZCA_SOFTHSM_LIB says otherwise
KIND_LABEL = "PKCS#11 (SoftHSM2)"
TOKEN_DIR = "softhsm-pkcs11"
_KEY_ID, _KEY_LABEL = b"\x01", "sign"


class TokenError(RuntimeError):
    """SoftHSM2 is missing or refused to make a token; the message says what to do."""


@dataclass(frozen=True)
class Pkcs11Token:
    conf: Path  # the SOFTHSM2_CONF that shows this token
    label: str  # = the key serial
    serial: str  # SoftHSM's own token serial (random, chosen at init)
    user_pin: str = field(repr=False)
    certificate: bytes = field(repr=False)
    # Only for a token made in this call: seal and store it, it is not kept anywhere else.
    so_pin: str | None = field(default=None, repr=False)


def softhsm_config(root: Path) -> Path:
    """Write (once) and return ``root/softhsm2.conf`` with its tokens in ``root/tokens``."""
    tokens = root / "tokens"
    tokens.mkdir(parents=True, exist_ok=True, mode=0o700)
    conf = root / "softhsm2.conf"
    text = (f"directories.tokendir = {tokens}\nobjectstore.backend = file\n"
            "log.level = ERROR\nslots.removable = false\n")
    if not conf.is_file() or conf.read_text() != text:
        conf.write_text(text)
    return conf


def world_config(ukey_home: Path) -> Path:
    """The emulated world's SoftHSM2 config: ``<ukey home>/softhsm-pkcs11/softhsm2.conf``."""
    return softhsm_config(ukey_home / TOKEN_DIR)


@contextlib.contextmanager
def _library(conf: Path) -> Iterator[Pkcs11Lib]:
    """The process-wide module, re-initialised to read ``conf`` (SoftHSM reads
    SOFTHSM2_CONF and scans tokens only at C_Initialize). The caller's SOFTHSM2_CONF is
    put back afterwards; other users of the module re-initialise for their own config
    (the card key store on NoSuchToken, ``Pkcs11Driver.refresh``)."""
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    try:
        lib = pkcs11.lib(MODULE)
        lib.reinitialize()
        yield lib
    finally:
        if previous is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = previous


def _util(conf: Path, *args: str) -> None:
    if shutil.which("softhsm2-util") is None or not Path(MODULE).exists():
        raise TokenError("SoftHSM2 未安装（scripts/install-system-deps.sh 安装 softhsm2）")
    done = subprocess.run(["softhsm2-util", *args], capture_output=True, text=True, timeout=30,
                          env={**os.environ, "SOFTHSM2_CONF": str(conf)}, check=False)
    if done.returncode != 0:
        raise TokenError(f"softhsm2-util {args[0]} 失败：{done.stderr.strip()}")


def _text(value: str | bytes) -> str:
    """Token fields come space-padded, as bytes or str depending on python-pkcs11's path."""
    return (value.decode("utf-8", "replace") if isinstance(value, bytes) else value).strip()


def _personalise(session: pkcs11.Session, issue_certificate: CertificateIssuer) -> bytes:
    """Key pair on the token, certificate over its public key stored beside it."""
    params = session.create_domain_parameters(
        KeyType.EC, {Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")},
        local=True)
    public, _ = params.generate_keypair(store=True, label=_KEY_LABEL, id=_KEY_ID)
    key = serialization.load_der_public_key(encode_ec_public_key(public))
    assert isinstance(key, ec.EllipticCurvePublicKey)  # asked for secp256r1 above
    der = issue_certificate(key)
    session.create_object({
        Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
        Attribute.TOKEN: True, Attribute.LABEL: _KEY_LABEL, Attribute.ID: _KEY_ID,
        Attribute.SUBJECT: x509.load_der_x509_certificate(der).subject.public_bytes(),
        Attribute.VALUE: der})
    return der


def create_token(conf: Path, label: str, user_pin: str,
                 issue_certificate: CertificateIssuer) -> Pkcs11Token:
    """A new token ``label`` in the first free slot of ``conf``, with a random SO PIN."""
    # softhsm2-util takes PINs only on its command line (visible to `ps`): initialise with
    # throw-away PINs, then set the real ones through PKCS#11 in this process.
    tmp_so, tmp_user = secrets.token_hex(8), secrets.token_hex(8)
    _util(conf, "--init-token", "--free", "--label", label, "--so-pin", tmp_so, "--pin", tmp_user)
    so_pin = generate_so_pin()
    with _library(conf) as lib:
        token = lib.get_token(token_label=label)
        with token.open(rw=True, so_pin=tmp_so) as session:
            session.set_pin(tmp_so, so_pin)
        with token.open(rw=True, user_pin=tmp_user) as session:
            session.set_pin(tmp_user, user_pin)
            der = _personalise(session, issue_certificate)
        serial = _text(token.serial)
    return Pkcs11Token(conf, label, serial, user_pin, der, so_pin)


def find_token(conf: Path, label: str, user_pin: str) -> Pkcs11Token | None:
    """The token ``label`` as it is now (certificate read from it), or None.
    ``user_pin`` is only carried along: it is the initial one, the token may have another."""
    with _library(conf) as lib:
        try:
            token = lib.get_token(token_label=label)
        except pkcs11.NoSuchToken:
            return None
        with token.open(rw=True) as session:  # rw: see docs/decisions/agent.md
            certs = list(session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}))
            der = bytes(certs[0][Attribute.VALUE]) if certs else None
        serial = _text(token.serial)
    return None if der is None else Pkcs11Token(conf, label, serial, user_pin, der)


def delete_token(conf: Path, label: str) -> None:
    _util(conf, "--delete-token", "--token", label)


def ensure_token(conf: Path, label: str, user_pin: str, issue_certificate: CertificateIssuer,
                 *, renew: bool = False) -> Pkcs11Token:
    """Keep an existing token ``label`` (``so_pin`` None), else make it. ``renew`` makes
    it again even if it exists: for a token whose SO PIN nobody knows any more."""
    existing = find_token(conf, label, user_pin)
    if existing is not None and not renew:
        return existing
    if existing is not None or _label_taken(conf, label):
        delete_token(conf, label)
    return create_token(conf, label, user_pin, issue_certificate)


def _label_taken(conf: Path, label: str) -> bool:
    """A token with this label but no certificate (its making was interrupted)."""
    with _library(conf) as lib:
        return any(_text(t.label) == label for t in lib.get_tokens())


def persona_tokens(ukey_home: Path, personas: Iterable[PersonaCertificate], ca: TestCA, *,
                   so_pin_known: Collection[str] = ()) -> list[tuple[PersonaCertificate,
                                                                     Pkcs11Token]]:
    """One token per PKCS#11 persona certificate (label = key serial, user PIN = the
    persona's PIN, certificate by ``ca``). A kept token whose key serial is not in
    ``so_pin_known`` is made again: with its SO PIN lost it could never be unlocked."""
    conf = world_config(ukey_home)
    return [(p, ensure_token(conf, p.key_serial, p.pin, issuer_for(ca, p),
                             renew=p.key_serial not in so_pin_known))
            for p in personas if p.driver == "pkcs11"]


def registered_so_pins(db: Database, key_serials: Iterable[str]) -> set[str]:
    """The key serials among ``key_serials`` whose SO PIN the service's database holds."""
    with db.session(readonly=True) as session:
        return set(session.scalars(select(UKeyRow.key_serial).where(
            UKeyRow.key_serial.in_(list(key_serials)), UKeyRow.so_pin_sealed.is_not(None))))


def pkcs11_tool(conf: Path, label: str, *args: str) -> subprocess.CompletedProcess[str]:
    """OpenSC's ``pkcs11-tool`` on token ``label``: an implementation independent of ours,
    for checks (tests, a user at the shell)."""
    return subprocess.run(
        ["pkcs11-tool", "--module", MODULE, "--token-label", label, *args],
        capture_output=True, text=True, timeout=30,
        env={**os.environ, "SOFTHSM2_CONF": str(conf)}, check=False)

