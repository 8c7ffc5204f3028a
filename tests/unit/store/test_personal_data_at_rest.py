"""Issue #16 item 5: ID numbers, mobiles and bank cards are encrypted at rest under keys
derived from the master key, found by keyed hashes, and migration 0005 encrypts what an
older revision stored in clear (docs/security.md)."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from store_fixtures import MASTER_KEY, MOBILE, NOW, make_certificate

from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.domain.orders import OrderMode
from szca_unlock.store import Database, current_revision, upgrade_to_head
from szca_unlock.store.data_keys import (
    DataKeys,
    DataKeysMissing,
    DecryptionFailed,
    is_encrypted,
)
from szca_unlock.store.database import make_engine
from szca_unlock.store.encrypted import EncryptedColumnCompared
from szca_unlock.store.migrate import alembic_config
from szca_unlock.store.models import HolderRow, OrderRow, OrganisationRow, VerificationRow
from szca_unlock.store.pages import orders_of_owner
from szca_unlock.store.provision import create_database, drop_database
from szca_unlock.store.repo_access import (
    add_login_code,
    get_latest_login_code,
    list_agreement_acceptances,
)
from szca_unlock.store.repo_orders import create_order, get_order
from szca_unlock.store.repo_pki import upsert_certificate

ID_NUMBER = "110101199003074258"  # make_certificate's holder
LEGAL_REP_ID = "440305198803151234"
CARD = "6222020200112233445"
OTHER_MOBILE = "13900139000"


# --- the keys -------------------------------------------------------------------------
def test_values_are_sealed_per_column_with_a_key_id_and_fresh_nonces() -> None:
    keys = DataKeys(MASTER_KEY)
    one, two = keys.encrypt(MOBILE, "orders.owner_mobile"), keys.encrypt(MOBILE,
                                                                         "orders.owner_mobile")
    assert one != two and one.startswith("E1.") and is_encrypted(one)
    assert MOBILE not in one and keys.decrypt(one, "orders.owner_mobile") == MOBILE
    with pytest.raises(DecryptionFailed):  # moved to another column
        keys.decrypt(one, "sessions.mobile")
    with pytest.raises(DecryptionFailed):  # another master key
        DataKeys(bytes(32)).decrypt(one, "orders.owner_mobile")
    assert not is_encrypted(MOBILE) and not is_encrypted('{"a": 1}')


def test_a_new_key_id_encrypts_while_the_old_one_still_opens() -> None:
    old = DataKeys(MASTER_KEY).encrypt(ID_NUMBER, "holders.id_number")
    rotated = DataKeys(MASTER_KEY, key_ids=(1, 2), current=2)
    assert rotated.decrypt(old, "holders.id_number") == ID_NUMBER
    assert rotated.encrypt(ID_NUMBER, "holders.id_number").startswith("E2.")


def test_lookup_hashes_are_keyed_and_per_kind() -> None:
    keys = DataKeys(MASTER_KEY)
    assert keys.lookup_hash("mobile", MOBILE) == DataKeys(MASTER_KEY).lookup_hash("mobile",
                                                                                 MOBILE)
    assert keys.lookup_hash("mobile", MOBILE) != DataKeys(bytes(32)).lookup_hash("mobile",
                                                                                MOBILE)
    assert keys.lookup_hash("mobile", MOBILE) != keys.lookup_hash("id_number", MOBILE)


# --- the store ------------------------------------------------------------------------
def _order(db: Database, owner: str = MOBILE) -> str:
    with db.session() as s:
        cert = upsert_certificate(s, make_certificate(CertificateKind.NATURAL),
                                  applicant_mobile=owner)
        order = create_order(s, certificate=cert, mode=OrderMode.REALTIME, owner_mobile=owner,
                             now=NOW)
        order.form_json["bank_card"] = CARD
        s.add(VerificationRow(order_id=order.id, step="identity", method="bank",
                              status="passed", attempts=1, created_at=NOW, updated_at=NOW,
                              detail_json={"id_number": ID_NUMBER, "bank_card": CARD}))
        return order.order_no


def test_stored_rows_hold_tokens_and_hashes_and_read_back_in_clear(db: Database) -> None:
    order_no = _order(db)
    with db.session(readonly=True) as s:
        raw = s.execute(text("SELECT owner_mobile, owner_mobile_hash, form FROM orders")).one()
        holder = s.execute(text("SELECT id_number, id_number_hash FROM holders")).one()
        detail = s.execute(text("SELECT detail FROM verifications")).scalar_one()
        assert all(is_encrypted(v) for v in (raw[0], raw[2], holder[0], detail))
        assert MOBILE not in "".join(raw) and ID_NUMBER not in "".join(holder)
        assert CARD not in raw[2] + detail
        order = get_order(s, order_no)
        assert order.owner_mobile == MOBILE and order.form_json["bank_card"] == CARD
        assert order.certificate.holder is not None
        assert order.certificate.holder.id_number == ID_NUMBER
        assert order.certificate.applicant_mobile == MOBILE
        assert s.scalars(select(VerificationRow.detail_json)).one() == {"id_number": ID_NUMBER,
                                                                    "bank_card": CARD}


def test_rows_are_found_by_their_lookup_hash(db: Database) -> None:
    order_no = _order(db)
    with db.session() as s:
        add_login_code(s, MOBILE, "h", expires_at=NOW + timedelta(minutes=5), now=NOW)
        assert [r.order_no for r in orders_of_owner(s, MOBILE).rows] == [order_no]
        assert orders_of_owner(s, OTHER_MOBILE).rows == []
        assert get_latest_login_code(s, MOBILE).mobile == MOBILE
        # The same holder again (by ID number): found by its hash, not stored twice.
        upsert_certificate(s, make_certificate(CertificateKind.NATURAL, serial="9F9F",
                                               key_serial="SZ2025000009"))
        assert s.scalar(select(func.count()).select_from(HolderRow)) == 1


def test_comparing_an_encrypted_column_is_refused_at_once() -> None:
    with pytest.raises(EncryptedColumnCompared, match=r"orders\.owner_mobile"):
        select(OrderRow).where(OrderRow.owner_mobile == MOBILE)
    select(OrderRow).where(OrderRow.operator_mobile.is_(None))  # null checks are fine


def test_without_the_master_key_personal_data_is_neither_written_nor_read(
        db: Database) -> None:
    _order(db)
    keyless = Database(db.url)
    try:
        with pytest.raises(DataKeysMissing), keyless.session(readonly=True) as s:
            s.scalars(select(OrderRow)).all()
    finally:
        keyless.dispose()


# --- migration 0005 on a database an older revision filled in clear ---------------------
def _migrate_to(url: str, revision: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()


_PLAINTEXT_ROWS = [
    "INSERT INTO organisations VALUES (1, '深圳市测试科技有限公司', '91440300MA5G0EXA8H', "
    "'王法人', :legal_id, :now)",
    "INSERT INTO holders VALUES (1, '李持有', :id_number, :now)",
    "INSERT INTO certificates (id, serial_hex, kind, medical, subject_dn, not_before, "
    "not_after, status, holder_id, organisation_id, key_serial, applicant_mobile, created_at) "
    "VALUES (1, '1A2B3C', 'natural', false, 'CN=李持有', :now, :later, 'valid', 1, NULL, "
    "'SZ2025000001', :mobile, :now)",
    "INSERT INTO login_codes VALUES (1, :mobile, 'h', :now, :later, 0, false)",
    "INSERT INTO sessions VALUES (1, 't', 'applicant', :mobile, NULL, :now, :later, false)",
    "INSERT INTO agreement_acceptances VALUES (1, 1, :mobile, 'privacy', 'v1', :now)",
    "INSERT INTO orders (id, order_no, mode, state, certificate_id, key_serial, owner_mobile, "
    "created_at, updated_at, review_round, form, legal_rep_id_number, operator_id_number, "
    "operator_mobile, version) VALUES (1, 'JS202611260001', 'realtime', 'verified', 1, "
    "'SZ2025000001', :mobile, :now, :now, 0, :form, :legal_id, :id_number, :other, 1)",
    "INSERT INTO verifications (id, order_id, step, method, status, attempts, created_at, "
    "updated_at, detail) VALUES (1, 1, 'identity', 'bank', 'passed', 1, :now, :now, :detail)",
]


def _fill_in_clear(url: str) -> None:
    engine = make_engine(url)
    values = {"mobile": MOBILE, "other": OTHER_MOBILE, "id_number": ID_NUMBER,
              "legal_id": LEGAL_REP_ID, "now": NOW.replace(tzinfo=None),
              "later": (NOW + timedelta(days=1)).replace(tzinfo=None),
              "form": json.dumps({"applicant_mobile": MOBILE, "bank_card": CARD}),
              "detail": json.dumps({"id_number": ID_NUMBER, "bank_card": CARD})}
    try:
        with engine.begin() as connection:
            for statement in _PLAINTEXT_ROWS:
                connection.execute(text(statement), values)
            if connection.dialect.name == "postgresql":  # explicit ids: move the sequences on
                for table in ("organisations", "holders", "certificates", "orders"):
                    connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', "
                                            f"'id'), (SELECT max(id) FROM {table}))"))
    finally:
        engine.dispose()


@pytest.fixture
def old_db_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A database at revision 0004 holding personal data in clear."""
    pg_url, name = os.environ.get("SZCA_TEST_DATABASE_URL", ""), f"szca_t_{uuid.uuid4().hex[:12]}"
    url = (f"sqlite:///{tmp_path / 'old.db'}" if backend == "sqlite"
           else create_database(pg_url, name))
    _migrate_to(url, "0004")
    _fill_in_clear(url)
    yield url
    if backend != "sqlite":
        drop_database(pg_url, name)


def test_migration_encrypts_what_an_older_revision_stored_in_clear(
        old_db_url: str, backend: str, tmp_path: Path) -> None:
    if backend == "sqlite":
        assert MOBILE.encode() in (tmp_path / "old.db").read_bytes() + _wal(tmp_path)
    upgrade_to_head(old_db_url, master_key=MASTER_KEY)

    db = Database(old_db_url, master_key=MASTER_KEY)
    try:
        with db.session() as s:
            order = get_order(s, "JS202611260001")
            assert order.owner_mobile == MOBILE and order.operator_mobile == OTHER_MOBILE
            assert order.legal_rep_id_number == LEGAL_REP_ID
            assert order.operator_id_number == ID_NUMBER
            assert order.form_json == {"applicant_mobile": MOBILE, "bank_card": CARD}
            assert order.certificate.applicant_mobile == MOBILE
            assert s.scalars(select(VerificationRow.detail_json)).one()["bank_card"] == CARD
            assert [r.order_no for r in orders_of_owner(s, MOBILE).rows] == [order.order_no]
            assert get_latest_login_code(s, MOBILE).id == 1
            assert [a.agreement_id for a in list_agreement_acceptances(s, mobile=MOBILE)] == [
                "privacy"]
            upsert_certificate(s, make_certificate(CertificateKind.NATURAL, serial="9F9F",
                                                   key_serial="SZ2025000009"))
            assert s.scalar(select(func.count()).select_from(HolderRow)) == 1  # found by hash
    finally:
        db.dispose()
    if backend == "sqlite":  # nothing left in a free page or an old WAL frame
        raw = (tmp_path / "old.db").read_bytes() + _wal(tmp_path)
        for number in (MOBILE, OTHER_MOBILE, ID_NUMBER, LEGAL_REP_ID, CARD):
            assert number.encode() not in raw


def _wal(tmp_path: Path) -> bytes:
    wal = tmp_path / "old.db-wal"
    return wal.read_bytes() if wal.exists() else b""


def test_migrating_personal_data_without_the_master_key_changes_nothing(
        old_db_url: str) -> None:
    with pytest.raises(RuntimeError, match="SZCA_UNLOCK_MASTER_KEY"):
        upgrade_to_head(old_db_url)
    assert current_revision(old_db_url) == "0004"
    upgrade_to_head(old_db_url, master_key=MASTER_KEY)  # and it still can
    assert current_revision(old_db_url) != "0004"


def test_database_errors_never_quote_a_statements_parameters(db: Database) -> None:
    """Names stay in clear in the database; an error (and so a log line) never shows them."""
    def organisation() -> OrganisationRow:
        return OrganisationRow(name="深圳市测试科技有限公司", uscc="91440300MA5G0EXA8H",
                               legal_rep_name="王法人", legal_rep_id_number=LEGAL_REP_ID,
                               created_at=NOW)

    with pytest.raises(IntegrityError) as refused, db.session() as s:
        s.add_all([organisation(), organisation()])  # the USCC is unique
        s.flush()
    # (PostgreSQL's own DETAIL names the duplicate key, here the organisation's USCC.)
    assert "hidden" in str(refused.value) and "王法人" not in str(refused.value)
