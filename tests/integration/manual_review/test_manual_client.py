"""The typed client's manual-review and staff methods against the live service: a
自然人证书 manual order from form to approval, as the CLI and the load tests drive it."""

from __future__ import annotations

import pytest
from mr_flows import STAFF_PASSWORD, STAFF_USER, image, jpeg, personal_form

from emulator.personas import Scenario
from emulator.testing.api import Api
from szca_unlock.api.errors import ApiError
from szca_unlock.client import ServiceClient


def test_manual_review_through_the_typed_client(service: str, api: Api,
                                                scenario: Scenario) -> None:
    holder = scenario.people["citizen"]
    with ServiceClient(service) as me, ServiceClient(service) as staff:
        me.request_sms_code(holder.mobile)
        me.login(holder.mobile, api.sms_code(holder.mobile))
        me.accept_agreements()
        assert "广东省" in me.provinces().provinces
        order_no = me.create_order(scenario.certificate("natural").serial_hex, "manual").order_no
        page = me.save_manual_form(order_no, **personal_form(holder))
        assert page.fields and page.fields["applicant_name"] == holder.name
        assert me.application_form_pdf(order_no).startswith(b"%PDF-")
        scan = me.upload_document(order_no, "id_scan", "scan.bmp", image("BMP"))
        assert scan.content_type == "image/bmp"
        assert len(me.download_document(order_no, scan.id)) == scan.size_bytes
        assert me.document_preview(order_no, scan.id).startswith(b"\x89PNG")
        with pytest.raises(ApiError) as refused:
            me.upload_document(order_no, "id_in_hand", "photo.jpg", b"")
        assert refused.value.status == 422 and refused.value.code == "upload.empty"
        me.upload_document(order_no, "id_in_hand", "photo.jpg", jpeg())
        assert me.submit_manual(order_no).order.state == "submitted"

        staff.staff_login(STAFF_USER, STAFF_PASSWORD)
        assert [o.order_no for o in staff.review_queue().orders] == [order_no]
        detail = staff.review(order_no)
        assert {r.code for r in staff.rejection_reasons("natural")} == {
            r.code for r in detail.reasons}
        assert staff.review_document(order_no, scan.id) == me.download_document(order_no,
                                                                                scan.id)
        assert staff.reject(order_no, ["ID_SCAN_ILLEGIBLE"]).order.state == "rejected"
        assert me.manual_page(order_no).rejection is not None
        me.upload_document(order_no, "id_scan", "scan2.jpg", jpeg(text="clearer"))
        assert len(me.list_documents(order_no, history=True)) == 3
        me.submit_manual(order_no)
        decision = staff.approve(order_no, "资料齐全")
        assert decision.order.state == "approved" and decision.notification
        assert decision.notification.sent
