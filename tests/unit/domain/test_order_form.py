"""The order's form as stored: rows written before the typed form still load, and what is
written now reads back the same (and in the shape earlier rows have)."""

from __future__ import annotations

from datetime import UTC, datetime

from szca_unlock.domain.order_form import (
    ApprovalSms,
    LetterConfirmation,
    OrderForm,
    OrgApplication,
    PersonalApplication,
    StoredPdf,
)

SAVED = datetime(2026, 12, 3, 2, 15, tzinfo=UTC)
ORG_FIELDS = {"org_name": "深圳市测试科技有限公司", "org_id_type": "统一社会信用代码证",
              "org_id_number": "91440300MA5DC1234X", "fee": 0, "province": "广东省",
              "city": "深圳市", "address": "福田区深南大道1号", "operator_name": "张三",
              "operator_id_number": "110101199003074514", "operator_mobile": "13800138000",
              "operator_title": "行政专员", "operator_email": "zhangsan@example.com"}
# Exactly what the service wrote as dicts: save, print, submit, approve (SMS failed).
OLD_MANUAL_ROW = {"fields": ORG_FIELDS, "revision": 2, "saved_at": SAVED.isoformat(),
                  "pdf": {"revision": 2, "sha256": "ab" * 32}, "deadline_estimated": True,
                  "approval_sms": {"sent": False, "at": SAVED.isoformat(),
                                   "error": "短信服务暂时不可用"}}
OLD_REALTIME_ROW = {"authorization_letter": {"version": "2024-01",
                                             "confirmed_at": SAVED.isoformat()}}


def test_a_stored_manual_form_loads_typed() -> None:
    form = OrderForm.from_json(OLD_MANUAL_ROW)
    assert form.fields == OrgApplication(**ORG_FIELDS)
    assert (form.revision, form.saved_at, form.deadline_estimated) == (2, SAVED, True)
    assert form.pdf_of_revision == StoredPdf(2, "ab" * 32)
    assert form.approval_sms == ApprovalSms(False, SAVED, "短信服务暂时不可用")
    assert form.fields.contact_mobile == "13800138000"


def test_a_form_saved_but_not_printed_has_no_pdf() -> None:
    personal = {"applicant_name": "李四", "applicant_id_number": "11010519491231002X",
                "applicant_mobile": "13900139000"}
    form = OrderForm.from_json({"fields": personal, "revision": 1,
                                "saved_at": SAVED.isoformat(), "pdf": None})
    assert form.fields == PersonalApplication(**personal)
    assert form.pdf is None and form.pdf_of_revision is None


def test_a_pdf_of_an_older_revision_is_not_the_current_one() -> None:
    form = OrderForm.from_json({**OLD_MANUAL_ROW, "revision": 3})
    assert form.pdf == StoredPdf(2, "ab" * 32) and form.pdf_of_revision is None


def test_realtime_and_empty_rows_load() -> None:
    assert OrderForm.from_json(OLD_REALTIME_ROW).authorization_letter == LetterConfirmation(
        "2024-01", SAVED)
    assert OrderForm.from_json({}) == OrderForm.from_json(None) == OrderForm()
    assert OrderForm().fields is None and not OrderForm().deadline_estimated


def test_unknown_keys_are_ignored() -> None:
    assert OrderForm.from_json({"单位地址": "深圳市福田区", "revision": 1}) == OrderForm(revision=1)


def test_what_is_written_reads_back_and_keeps_the_stored_shape() -> None:
    form = OrderForm.from_json({**OLD_MANUAL_ROW, **OLD_REALTIME_ROW})
    written = form.to_json()
    assert OrderForm.from_json(written) == form
    assert written == {**OLD_MANUAL_ROW, **OLD_REALTIME_ROW}
