"""A SoftHSM2 token in a temp dir carrying an EC P-256 key and its certificate, made the
way a CA personalises a key: token init by softhsm2-util, key generated on the token,
certificate issued by a (test) CA over the token's public key and stored next to it."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass
from pkcs11.util.ec import encode_ec_public_key, encode_named_curve_parameters

MODULE = "/usr/lib/softhsm/libsofthsm2.so"


@dataclass(frozen=True)
class SoftToken:
    conf: Path
    label: str
    serial: str
    so_pin: str
    user_pin: str
    certificate: bytes


def _issue_certificate(public_der: bytes, subject_cn: str) -> bytes:
    ca_key = ec.generate_private_key(ec.SECP256R1())
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "SZCA Test CA")])
    now = dt.datetime.now(dt.UTC)
    return (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject_cn)]))
            .issuer_name(issuer).public_key(serialization.load_der_public_key(public_der))
            .serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=365))
            .sign(ca_key, hashes.SHA256())
            .public_bytes(serialization.Encoding.DER))


def create_soft_token(workdir: Path, label: str, so_pin: str, user_pin: str) -> SoftToken:
    """Needs ``SOFTHSM2_CONF`` to point at ``workdir/softhsm2.conf`` (set by the caller)."""
    tokens = workdir / "tokens"
    tokens.mkdir(parents=True)
    conf = workdir / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n"
                    "log.level = ERROR\nslots.removable = false\n")
    assert os.environ.get("SOFTHSM2_CONF") == str(conf)
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", label,
                    "--so-pin", so_pin, "--pin", user_pin],
                   check=True, capture_output=True, timeout=30)
    lib = pkcs11.lib(MODULE)
    lib.reinitialize()  # the module is loaded once per process: re-read SOFTHSM2_CONF
    token = lib.get_token(token_label=label)
    with token.open(rw=True, user_pin=user_pin) as session:
        params = session.create_domain_parameters(
            KeyType.EC, {Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")},
            local=True)
        public, _ = params.generate_keypair(store=True, label="sign", id=b"\x01")
        cert = _issue_certificate(encode_ec_public_key(public), f"持有人 {label}")
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True, Attribute.LABEL: "sign", Attribute.ID: b"\x01",
            Attribute.SUBJECT: x509.load_der_x509_certificate(cert).subject.public_bytes(),
            Attribute.VALUE: cert})
    serial = token.serial.decode() if isinstance(token.serial, bytes) else token.serial
    return SoftToken(conf, label, serial.strip(), so_pin, user_pin, cert)


def pkcs11_tool(conf: Path, label: str, *args: str) -> subprocess.CompletedProcess[str]:
    """OpenSC's pkcs11-tool on the token: an implementation independent of ours."""
    return subprocess.run(
        ["pkcs11-tool", "--module", MODULE, "--token-label", label, *args],
        capture_output=True, text=True, timeout=30,
        env={**os.environ, "SOFTHSM2_CONF": str(conf)}, check=False)
