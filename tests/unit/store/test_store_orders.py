"""Orders: numbering, lookups, and the parts hanging off an order."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from store_fixtures import MOBILE, NOW, OpenOrder

from szca_unlock.domain.order_form import OrderForm, PersonalApplication, StoredPdf
from szca_unlock.domain.orders import OrderEvent, OrderMode, OrderState
from szca_unlock.domain.verification_detail import VerificationDetail
from szca_unlock.store import (
    AuthorisationKind,
    Database,
    NotFound,
    ReviewDecision,
    VerificationStatus,
    apply_transition,
)
from szca_unlock.store.models import OrderRow
from szca_unlock.store.repo_order_parts import (
    add_document,
    add_review,
    add_unlock_authorisation,
    add_verification,
    get_latest_review,
    get_latest_verification,
    get_unlock_authorisation,
    get_verification_by_provider_ref,
    list_documents,
    list_unlock_authorisations,
    mark_authorisation_confirmed,
    set_verification_status,
)
from szca_unlock.store.repo_orders import (
    get_order,
    get_order_for_owner,
    list_open_orders_for_certificate,
    list_orders_by_owner,
    list_orders_in_states,
    list_rendered_forms,
)


def test_order_numbers_count_per_beijing_day(db: Database, open_order: OpenOrder) -> None:
    first, second = open_order(now=NOW), open_order(now=NOW + timedelta(hours=1))
    # 16:30 UTC is already the next day in Beijing: the sequence starts again.
    next_day = open_order(now=NOW.replace(hour=16, minute=30))
    assert (first, second, next_day) == ("JS202611260001", "JS202611260002", "JS202611270001")


def test_order_is_bound_to_the_certificate_key(db: Database, open_order: OpenOrder) -> None:
    order_no = open_order(OrderMode.REALTIME)
    with db.session(readonly=True) as s:
        order = get_order(s, order_no)
        assert order.key_serial == "SZ2025000001"
        assert order.certificate.serial_hex == "1A2B3C"
        assert order.state is OrderState.DRAFT
        assert order.mode is OrderMode.REALTIME


def test_someone_elses_order_looks_missing(db: Database, open_order: OpenOrder) -> None:
    order_no = open_order()
    with db.session(readonly=True) as s:
        assert get_order_for_owner(s, order_no, MOBILE).order_no == order_no
        with pytest.raises(NotFound) as info:
            get_order_for_owner(s, order_no, "13900139000")
        assert info.value.code == "order.not_found"


def test_my_orders_newest_first_and_review_queue_oldest_first(
        db: Database, open_order: OpenOrder) -> None:
    numbers = [open_order(now=NOW + timedelta(minutes=i)) for i in range(3)]
    with db.session() as s:
        for number in numbers[:2]:
            apply_transition(s, get_order(s, number), OrderEvent.SUBMIT, MOBILE)
    with db.session(readonly=True) as s:
        assert [o.order_no for o in list_orders_by_owner(s, MOBILE)] == numbers[::-1]
        queue = list_orders_in_states(s, [OrderState.SUBMITTED], mode=OrderMode.MANUAL)
        assert [o.order_no for o in queue] == numbers[:2]
        open_orders = list_open_orders_for_certificate(s, get_order(s, numbers[0]).certificate_id)
        assert len(open_orders) == 3


def test_the_order_form_is_stored_and_read_typed(db: Database, open_order: OpenOrder) -> None:
    order_no = open_order()
    with db.session() as s:
        get_order(s, order_no).form = OrderForm(revision=1, saved_at=NOW)
    with db.session() as s:
        order = get_order(s, order_no)
        order.form = replace(order.form, pdf=StoredPdf(1, "ab" * 32))  # an assignment saves
    with db.session(readonly=True) as s:
        assert get_order(s, order_no).form == OrderForm(revision=1, saved_at=NOW,
                                                        pdf=StoredPdf(1, "ab" * 32))
        assert list_rendered_forms(s) == [StoredPdf(1, "ab" * 32)]


def test_an_order_form_written_as_a_plain_dict_still_loads(db: Database,
                                                            open_order: OpenOrder) -> None:
    """Rows written before the form was typed: the JSON column as the service wrote it."""
    order_no = open_order()
    fields = {"applicant_name": "李四", "applicant_id_number": "11010519491231002X",
              "applicant_mobile": "13900139000"}
    stored = {"fields": fields, "revision": 1, "saved_at": NOW.isoformat(), "pdf": None}
    with db.session() as s:
        get_order(s, order_no).form_json = stored
    with db.session(readonly=True) as s:
        form = get_order(s, order_no).form
        assert form.fields == PersonalApplication(**fields)
        assert (form.revision, form.saved_at, form.pdf) == (1, NOW, None)


def test_verification_lifecycle(db: Database, open_order: OpenOrder) -> None:
    order_no = open_order(OrderMode.REALTIME)
    with db.session() as s:
        order = get_order(s, order_no)
        add_verification(s, order, step="operator", method="carrier", provider_ref="sms-1")
        retry = add_verification(s, order, step="operator", method="face", provider_ref="biz-2")
        set_verification_status(s, retry, VerificationStatus.PASSED,
                                detail=VerificationDetail(url="https://face.example/1"))
    with db.session(readonly=True) as s:
        order = get_order(s, order_no)
        latest = get_latest_verification(s, order, "operator")
        assert (latest.method, latest.status, latest.detail) == (
            "face", VerificationStatus.PASSED, VerificationDetail(url="https://face.example/1"))
        assert get_verification_by_provider_ref(s, "sms-1").status is VerificationStatus.PENDING
        with pytest.raises(NotFound):
            get_latest_verification(s, order, "enterprise")



def test_a_verification_detail_written_as_a_plain_dict_still_loads(
        db: Database, open_order: OpenOrder) -> None:
    """Rows written before the detail was typed: the JSON column as the service wrote it."""
    order_no = open_order(OrderMode.REALTIME)
    sent = NOW.isoformat()
    stored = {"mobile": "13800138000", "isp": "移动", "name": "张三",
              "id_number": "110101199003074514", "code_hash": "9f" * 32,
              "code_sent_at": sent, "sent_at": [sent]}
    with db.session() as s:
        row = add_verification(s, get_order(s, order_no), step="operator", method="carrier")
        row.detail_json = stored
    with db.session(readonly=True) as s:
        detail = get_latest_verification(s, get_order(s, order_no), "operator").detail
        assert (detail.mobile, detail.name, detail.code_hash) == ("13800138000", "张三", "9f" * 32)
        assert (detail.code_sent_at, detail.sent_at) == (NOW, (NOW,))

def test_reupload_replaces_but_keeps_the_old_document(db: Database, open_order: OpenOrder) -> None:
    order_no = open_order()
    doc = {"filename": "licence.pdf", "content_type": "application/pdf", "size_bytes": 10,
           "sha256": "0" * 64, "storage_path": "uploads/a"}
    with db.session() as s:
        order = get_order(s, order_no)
        add_document(s, order, slot="business_licence", **doc)
        add_document(s, order, slot="application_form", **doc)
        apply_transition(s, order, OrderEvent.SUBMIT, MOBILE)
        apply_transition(s, order, OrderEvent.REJECT, "staff:reviewer1", "营业执照不清晰")
        apply_transition(s, order, OrderEvent.RESUBMIT, MOBILE)
        add_document(s, order, slot="business_licence", **{**doc, "storage_path": "uploads/b"})
    with db.session(readonly=True) as s:
        order = get_order(s, order_no)
        current = {d.slot: (d.storage_path, d.review_round) for d in list_documents(s, order)}
        assert current == {"business_licence": ("uploads/b", 2),
                           "application_form": ("uploads/a", 1)}
        assert len(list_documents(s, order, include_replaced=True)) == 3


def test_one_review_per_round(db: Database, open_order: OpenOrder) -> None:
    order_no = open_order()
    with db.session() as s:
        order = get_order(s, order_no)
        apply_transition(s, order, OrderEvent.SUBMIT, MOBILE)
        add_review(s, order, decision=ReviewDecision.REJECTED, reviewer="reviewer1",
                   reason_code="licence_unreadable", reason_text="请重新上传")
    with db.session(readonly=True) as s:
        assert get_latest_review(s, get_order(s, order_no)).reason_code == "licence_unreadable"
    with pytest.raises(IntegrityError), db.session() as s:
        add_review(s, get_order(s, order_no), decision=ReviewDecision.APPROVED,
                   reviewer="reviewer2")


def test_authorisation_is_confirmed_once_and_unique_per_challenge(
        db: Database, open_order: OpenOrder) -> None:
    order_no = open_order(OrderMode.REALTIME)
    with db.session() as s:
        order = get_order(s, order_no)
        add_unlock_authorisation(s, order, public_id="auth-1", kind=AuthorisationKind.CARD,
                                 key_serial=order.key_serial, challenge_hex="ab" * 16,
                                 cryptogram_hex="cd" * 16, expires_at=NOW + timedelta(minutes=2))
    with db.session() as s:
        assert len(list_unlock_authorisations(s, key_serial="SZ2025000001",
                                              challenge_hex="AB" * 16)) == 1
        assert mark_authorisation_confirmed(s, "auth-1", NOW)
        assert not mark_authorisation_confirmed(s, "auth-1", NOW + timedelta(seconds=1))
        assert get_unlock_authorisation(s, "auth-1").confirmed_at == NOW
        with pytest.raises(NotFound):
            get_unlock_authorisation(s, "auth-unknown")
    with pytest.raises(IntegrityError), db.session() as s:
        order = s.get_one(OrderRow, 1)
        add_unlock_authorisation(s, order, public_id="auth-2", kind=AuthorisationKind.CARD,
                                 key_serial="SZ2025000001", challenge_hex="AB" * 16,
                                 expires_at=NOW)
