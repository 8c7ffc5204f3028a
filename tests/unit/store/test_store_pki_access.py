"""Round trips through the certificate, U-KEY and access repositories."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from store_fixtures import NOW, make_certificate

from szca_unlock.domain.certificates import CertificateKind, CertificateStatus
from szca_unlock.store import Database, NotFound, SessionKind, StaffRole, UKeyDriver
from szca_unlock.store.models import CertificateRow, HolderRow, OrganisationRow
from szca_unlock.store.passwords import hash_password, verify_password
from szca_unlock.store.repo_access import (
    add_login_code,
    count_login_codes_since,
    create_session,
    get_latest_login_code,
    get_session_by_token_hash,
    get_staff_user,
    list_agreement_acceptances,
    record_agreement_acceptance,
    revoke_session,
    upsert_staff_user,
)
from szca_unlock.store.repo_pki import (
    CertificateUpsert,
    UKeyUpsert,
    certificate_from_row,
    commit_pending_so_pin,
    get_certificate_by_serial,
    get_ukey,
    set_certificate_status,
    set_pending_so_pin,
    upsert_certificate,
    upsert_certificates,
    upsert_ukey,
    upsert_ukeys,
)


@pytest.mark.parametrize("kind", list(CertificateKind))
def test_certificate_round_trip_in_any_serial_notation(db: Database,
                                                       kind: CertificateKind) -> None:
    cert = make_certificate(kind)
    with db.session() as s:
        upsert_certificate(s, cert, der=b"\x30\x03", applicant_mobile="13800138000")
    with db.session(readonly=True) as s:
        row = get_certificate_by_serial(s, "00:1a:2b:3c")
        assert certificate_from_row(row) == cert
        assert row.der == b"\x30\x03"
        assert row.not_after.tzinfo is UTC


def test_upserting_twice_creates_no_duplicates(db: Database) -> None:
    for _ in range(2):
        with db.session() as s:
            upsert_certificate(s, make_certificate(CertificateKind.ORG_PERSONAL, "AA"))
            upsert_certificate(s, make_certificate(CertificateKind.ORG_PERSONAL, "BB"))
    with db.session(readonly=True) as s:
        counts = [s.scalar(select(func.count()).select_from(t))
                  for t in (CertificateRow, OrganisationRow, HolderRow)]
    assert counts == [2, 1, 1]


def test_unknown_serial_is_not_found_with_a_chinese_message(db: Database) -> None:
    with db.session(readonly=True) as s, pytest.raises(NotFound) as info:
        get_certificate_by_serial(s, "DEADBEEF")
    assert info.value.code == "certificate.not_found"
    assert "证书序列号" in info.value.message


def test_revocation_is_seen_by_the_domain_rule(db: Database) -> None:
    with db.session() as s:
        upsert_certificate(s, make_certificate())
        set_certificate_status(s, "1A2B3C", CertificateStatus.REVOKED)
    with db.session(readonly=True) as s:
        cert = certificate_from_row(get_certificate_by_serial(s, "1a2b3c"))
    assert not cert.is_unlockable(NOW)


def test_pending_so_pin_becomes_current_only_on_commit(db: Database) -> None:
    with db.session() as s:
        upsert_ukey(s, "SZ2025000009", UKeyDriver.PKCS11, so_pin_sealed=b"old")
        set_pending_so_pin(s, "SZ2025000009", b"new")
    with db.session() as s:
        key = get_ukey(s, "SZ2025000009")
        assert (key.so_pin_sealed, key.pending_so_pin_sealed) == (b"old", b"new")
        commit_pending_so_pin(s, "SZ2025000009")
    with db.session() as s:
        key = get_ukey(s, "SZ2025000009")
        assert (key.so_pin_sealed, key.pending_so_pin_sealed) == (b"new", None)
        assert "new" not in repr(key)
        with pytest.raises(NotFound):
            commit_pending_so_pin(s, "SZ2025000009")


def test_unknown_ukey_is_not_found(db: Database) -> None:
    with db.session(readonly=True) as s, pytest.raises(NotFound):
        get_ukey(s, "SZ0000000000")


def test_latest_login_code_wins_and_counts(db: Database) -> None:
    with db.session() as s:
        add_login_code(s, "13800138000", "h1", expires_at=NOW + timedelta(minutes=5), now=NOW)
        add_login_code(s, "13800138000", "h2", expires_at=NOW + timedelta(minutes=6),
                       now=NOW + timedelta(minutes=1))
        add_login_code(s, "13900139000", "other", expires_at=NOW, now=NOW)
    with db.session(readonly=True) as s:
        assert get_latest_login_code(s, "13800138000").code_hash == "h2"
        assert count_login_codes_since(s, "13800138000", NOW + timedelta(seconds=30)) == 1
        with pytest.raises(NotFound):
            get_latest_login_code(s, "13700137000")


def test_sessions_and_staff(db: Database) -> None:
    with db.session() as s:
        staff = upsert_staff_user(s, "reviewer1", "hash-a", display_name="审核员一")
        upsert_staff_user(s, "reviewer1", "hash-b", display_name="审核员一",
                          role=StaffRole.ADMIN)
        create_session(s, "tok-staff", SessionKind.STAFF, staff_user_id=staff.id,
                       expires_at=NOW + timedelta(hours=8))
        create_session(s, "tok-user", SessionKind.APPLICANT, mobile="13800138000",
                       expires_at=NOW + timedelta(hours=1))
        revoke_session(s, "tok-user")
    with db.session(readonly=True) as s:
        assert get_staff_user(s, "reviewer1").password_hash == "hash-b"
        assert get_staff_user(s, "reviewer1").role is StaffRole.ADMIN
        assert get_session_by_token_hash(s, "tok-user").revoked
        assert not get_session_by_token_hash(s, "tok-staff").revoked
        with pytest.raises(NotFound):
            get_staff_user(s, "nobody")


def test_agreement_acceptances_by_mobile_and_session(db: Database) -> None:
    with db.session() as s:
        sess = create_session(s, "tok", SessionKind.APPLICANT, mobile="13800138000",
                              expires_at=NOW + timedelta(hours=1))
        for agreement in ("service", "personal_info", "sensitive_info"):
            record_agreement_acceptance(s, "13800138000", agreement, "2025.1",
                                        session_id=sess.id)
    with db.session(readonly=True) as s:
        rows = list_agreement_acceptances(s, session_id=sess.id)
        assert [r.agreement_id for r in rows] == ["service", "personal_info", "sensitive_info"]
        assert list_agreement_acceptances(s, mobile="13900139000") == []


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(IntegrityError), db.session() as s:
        record_agreement_acceptance(s, "13800138000", "service", "1", session_id=999)


def test_batch_upsert_beyond_one_lookup_chunk(db: Database) -> None:
    certs = [make_certificate(CertificateKind.NATURAL, f"{i + 1:X}", f"SZ9{i:09d}")
             for i in range(1200)]  # more than the 500 keys per IN (...) query
    for _ in range(2):
        with db.session() as s:
            upsert_certificates(s, [CertificateUpsert(c) for c in certs])
            upsert_ukeys(s, [UKeyUpsert(c.key_serial, UKeyDriver.PCSC) for c in certs])
    with db.session(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(CertificateRow)) == 1200
        assert s.scalar(select(func.count()).select_from(HolderRow)) == 1
        assert get_certificate_by_serial(s, "4B0").key_serial == "SZ9000001199"


@pytest.mark.parametrize("stored", ["", "md5$abc", "scrypt$x$8$1$00$00", "scrypt$16384$8$1$zz$00"])
def test_malformed_password_records_never_verify(stored: str) -> None:
    assert not verify_password("anything", stored)


def test_password_hash_round_trip_with_fresh_salts() -> None:
    first, second = hash_password("Szca-2026", n=2**10), hash_password("Szca-2026", n=2**10)
    assert first != second
    assert verify_password("Szca-2026", first) and verify_password("Szca-2026", second)
    assert not verify_password("szca-2026", first)
