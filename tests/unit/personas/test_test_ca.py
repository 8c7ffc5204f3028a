"""The test PKI: created once, reused, and issuing certificates that chain and carry the
persona's subject."""

from __future__ import annotations

from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from emulator.personas import Scenario, TestCA, issuer_for, subject_dn


def _attr(cert: x509.Certificate, oid: x509.ObjectIdentifier) -> list[str]:
    return [str(a.value) for a in cert.subject.get_attributes_for_oid(oid)]


def test_ca_is_created_once_and_reused(tmp_path: Path) -> None:
    first = TestCA.load_or_create(tmp_path / "ca")
    again = TestCA.load_or_create(tmp_path / "ca")
    assert again.root_cert == first.root_cert
    assert again.issuing_cert == first.issuing_cert
    assert (tmp_path / "ca" / "root_key.pem").stat().st_mode & 0o077 == 0


def test_issuing_ca_chains_to_the_root(test_ca: TestCA) -> None:
    test_ca.issuing_cert.verify_directly_issued_by(test_ca.root_cert)
    constraints = test_ca.issuing_cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.value.ca and constraints.value.path_length == 0


def test_org_certificate_for_a_card_key(test_ca: TestCA, default_scenario: Scenario) -> None:
    persona = default_scenario.certificate("org")
    card_key = ec.generate_private_key(ec.SECP256R1())
    cert = x509.load_der_x509_certificate(issuer_for(test_ca, persona)(card_key.public_key()))
    cert.verify_directly_issued_by(test_ca.issuing_cert)
    assert cert.public_key() == card_key.public_key()
    assert cert.serial_number == 0x5A1C0E2B7D3F0001
    assert _attr(cert, NameOID.COMMON_NAME) == ["深圳市鹏城数智科技有限公司"]
    assert _attr(cert, NameOID.ORGANIZATIONAL_UNIT_NAME) == ["914403048FU52TUK74"]
    assert _attr(cert, NameOID.LOCALITY_NAME) == ["深圳市"]
    assert _attr(cert, NameOID.STATE_OR_PROVINCE_NAME) == ["广东省"]
    assert _attr(cert, NameOID.COUNTRY_NAME) == ["CN"]
    assert cert.not_valid_after_utc == persona.not_after
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca


def test_personal_subjects(test_ca: TestCA, default_scenario: Scenario) -> None:
    employee = default_scenario.certificate("org_personal")
    assert subject_dn(employee) == (
        "CN=吴泽萍,OU=914403048FU52TUK74,O=深圳市鹏城数智科技有限公司,L=深圳市,ST=广东省,C=CN")
    citizen = default_scenario.certificate("natural")
    assert subject_dn(citizen) == "CN=黄伟,L=深圳市,ST=广东省,C=CN"
    assert citizen.holder is not None and citizen.holder.id_number not in subject_dn(citizen)
