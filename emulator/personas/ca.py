"""The test PKI: an EC P-256 root and issuing CA, created once under a directory and reused.

Real SZCA certificates use SM2/SM3; ``cryptography`` (OpenSSL) offers neither for X.509
signing, so the test PKI uses ECDSA P-256/SHA-256, the same curve the virtual U-KEY signs
with (see docs/decisions/orders.md). The keys are stored unencrypted: test material only.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

_FILES = ("root_key.pem", "root_cert.pem", "issuing_key.pem", "issuing_cert.pem")
ROOT_NAME = "SZCA Test Root CA（仅供测试）"
ISSUING_NAME = "SZCA Test Issuing CA（仅供测试）"
EndEntityKey = ec.EllipticCurvePublicKey


def _ca_name(common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "深圳CA测试环境"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def _ca_cert(subject: x509.Name, key: ec.EllipticCurvePrivateKey, issuer: x509.Name,
             signer: ec.EllipticCurvePrivateKey, *, path_length: int | None, years: int,
             issuer_public: ec.EllipticCurvePublicKey) -> x509.Certificate:
    now = datetime.now(UTC).replace(microsecond=0)
    return (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public),
                       critical=False)
        .sign(signer, hashes.SHA256())
    )


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _pem_cert(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


@dataclass(frozen=True)
class TestCA:
    """Root + issuing CA; ``issue()`` makes end-entity certificates signed by the issuing CA."""

    __test__ = False  # not a pytest test class despite the name

    directory: Path
    root_cert: x509.Certificate
    issuing_cert: x509.Certificate
    issuing_key: ec.EllipticCurvePrivateKey

    def __repr__(self) -> str:
        return f"TestCA(directory={str(self.directory)!r})"

    @classmethod
    def load_or_create(cls, directory: Path | str) -> TestCA:
        """Load the CA kept in ``directory``, creating it first if absent.

        Creation happens in a sibling temporary directory renamed into place, so parallel
        test workers racing here all end up with the same CA.
        """
        directory = Path(directory)
        if not all((directory / f).exists() for f in _FILES):
            cls._create(directory)
        return cls.load(directory)

    @classmethod
    def load(cls, directory: Path | str) -> TestCA:
        directory = Path(directory)
        def read(name: str) -> bytes:
            return (directory / name).read_bytes()

        key = serialization.load_pem_private_key(read("issuing_key.pem"), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError(f"{directory}/issuing_key.pem is not an EC key")
        return cls(directory, x509.load_pem_x509_certificate(read("root_cert.pem")),
                   x509.load_pem_x509_certificate(read("issuing_cert.pem")), key)

    @staticmethod
    def _create(directory: Path) -> None:
        directory.parent.mkdir(parents=True, exist_ok=True)
        root_key = ec.generate_private_key(ec.SECP256R1())
        issuing_key = ec.generate_private_key(ec.SECP256R1())
        root_name, issuing_name = _ca_name(ROOT_NAME), _ca_name(ISSUING_NAME)
        root = _ca_cert(root_name, root_key, root_name, root_key, path_length=1, years=20,
                        issuer_public=root_key.public_key())
        issuing = _ca_cert(issuing_name, issuing_key, root_name, root_key, path_length=0,
                           years=10, issuer_public=root_key.public_key())
        blobs = dict(zip(_FILES, (_pem_key(root_key), _pem_cert(root), _pem_key(issuing_key),
                                  _pem_cert(issuing)), strict=True))
        staging = Path(tempfile.mkdtemp(prefix=".ca-", dir=directory.parent))
        try:
            for name, data in blobs.items():
                (staging / name).write_bytes(data)
                if name.endswith("key.pem"):
                    (staging / name).chmod(0o600)
            # Replaces an empty directory too; fails if another process won the race,
            # and then its CA is the one everybody uses.
            with contextlib.suppress(OSError):
                os.rename(staging, directory)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        missing = [f for f in _FILES if not (directory / f).exists()]
        if missing:
            raise FileExistsError(f"{directory} exists but lacks {missing}; use an empty directory")

    @property
    def chain_pem(self) -> bytes:
        """Issuing CA then root, PEM: what a verifier needs next to an end-entity certificate."""
        return _pem_cert(self.issuing_cert) + _pem_cert(self.root_cert)

    def issue(self, subject: x509.Name, public_key: EndEntityKey, serial: int, *,
              not_before: datetime, not_after: datetime) -> bytes:
        """An end-entity signing certificate for ``public_key``, DER."""
        cert = (
            x509.CertificateBuilder().subject_name(subject)
            .issuer_name(self.issuing_cert.subject).public_key(public_key)
            .serial_number(serial).not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH,
                                                  ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                           critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                self.issuing_key.public_key()), critical=False)
            .sign(self.issuing_key, hashes.SHA256())
        )
        return cert.public_bytes(serialization.Encoding.DER)
