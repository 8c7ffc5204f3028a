"""Certificate values: kinds, labels, and whether an unlock may go ahead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from szca_unlock.domain.certificates import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    Holder,
    Organisation,
    normalise_serial,
)
from szca_unlock.domain.errors import DomainError

NOW = datetime(2026, 11, 26, tzinfo=UTC)
ORG = Organisation("深圳市测试科技有限公司", "91440300MA5FXXXX0X", "张三", "110101199003076478")


def _cert(**overrides: object) -> Certificate:
    values: dict[str, object] = {
        "serial_hex": "1A2B3C",
        "subject_dn": "CN=李四,O=深圳市测试科技有限公司,L=深圳市,ST=广东省,C=CN",
        "kind": CertificateKind.ORG_PERSONAL, "medical": False,
        "not_before": NOW - timedelta(days=30), "not_after": NOW + timedelta(days=335),
        "status": CertificateStatus.VALID, "key_serial": "SZ2025000001",
        "organisation": ORG, "holder": Holder("李四", "110101199003074258"),
    }
    values.update(overrides)
    return Certificate(**values)  # type: ignore[arg-type]


def test_valid_certificate_is_unlockable() -> None:
    cert = _cert()
    cert.check_unlockable(NOW)
    assert cert.is_unlockable(NOW)


def test_revoked_certificate_is_refused_in_chinese() -> None:
    cert = _cert(status=CertificateStatus.REVOKED)
    with pytest.raises(DomainError) as info:
        cert.check_unlockable(NOW)
    assert info.value.code == "certificate.revoked"
    assert "已吊销" in info.value.message
    assert not cert.is_unlockable(NOW)


def test_expired_certificate_names_the_expiry_date() -> None:
    cert = _cert(not_after=NOW - timedelta(days=1))
    with pytest.raises(DomainError) as info:
        cert.check_unlockable(NOW)
    assert info.value.code == "certificate.expired"
    assert "2026-11-25" in info.value.message


def test_not_yet_valid_certificate_is_refused() -> None:
    with pytest.raises(DomainError) as info:
        _cert(not_before=NOW + timedelta(days=1)).check_unlockable(NOW)
    assert info.value.code == "certificate.not_yet_valid"


def test_type_label_marks_medical() -> None:
    assert _cert().type_label == "机构个人证书"
    assert _cert(medical=True, kind=CertificateKind.NATURAL, organisation=None).type_label == (
        "自然人证书（医疗类）")


def test_kinds_carry_the_manual_labels() -> None:
    assert [k.label for k in CertificateKind] == ["机构证书", "机构个人证书", "自然人证书"]
    assert not CertificateKind.ORG.is_personal
    assert CertificateKind.NATURAL.is_personal


def test_org_certificate_requires_an_organisation() -> None:
    with pytest.raises(ValueError):
        _cert(kind=CertificateKind.ORG, organisation=None, holder=None)


def test_reprs_do_not_leak_id_numbers() -> None:
    cert = _cert()
    assert "110101199003074258" not in repr(cert)
    assert "110101199003076478" not in repr(cert)


@pytest.mark.parametrize(("typed", "canonical"), [
    ("1a2b3c", "1A2B3C"), ("00:1A:2B:3C", "1A2B3C"), (" 1a 2b-3c ", "1A2B3C"), ("0", "0")])
def test_serials_are_normalised(typed: str, canonical: str) -> None:
    assert normalise_serial(typed) == canonical


@pytest.mark.parametrize("typed", ["", "XYZ", "12G4", "1" * 41])
def test_bad_serials_are_refused(typed: str) -> None:
    with pytest.raises(DomainError) as info:
        normalise_serial(typed)
    assert info.value.field == "certificate_serial"
