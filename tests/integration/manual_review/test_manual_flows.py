"""ORG-MR and PER-MR end to end: a locked virtual U-KEY (SW 6983), SMS login, 人工审核解锁,
the form, the application form PDF, the uploads, the operator's face (ORG), submit, a
reviewer rejects once, the applicant reads the reason in 我的业务单, fixes it and
resubmits, the reviewer approves (SMS 1000003), 解锁 through the agent, the new PIN
verifies and the key signs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from mr_flows import Applicant, Reviewer, jpeg, org_form, personal_form

from emulator.personas import Scenario
from emulator.testing.api import Api, unlock_with_agent
from emulator.testing.keys import NEW_PIN, VirtualKey


@dataclass(frozen=True)
class Case:
    persona: str
    uploads: tuple[str, ...]  # slots filled before the first submission
    reject: tuple[str, ...]  # the reviewer's reason codes
    fix_slot: str  # the slot the applicant replaces after the rejection
    detail: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


CASES = {
    "org": Case("org", ("application_form", "business_licence"), ("FORM_NO_SEAL",),
                "application_form"),
    "org_personal": Case("org_personal", ("id_scan", "id_in_hand"), ("ID_SCAN_NO_SEAL",),
                         "id_scan"),
    "natural": Case("natural", ("id_scan", "id_in_hand"),
                    ("HANDHELD_PHOTO_ILLEGIBLE", "OTHER"), "id_in_hand",
                    detail="照片反光,证件号码看不清"),
    "medical_work_id": Case("medical", ("id_scan", "work_id"), ("WORK_ID_ILLEGIBLE",),
                            "work_id"),
    "medical_no_work_id": Case("medical", ("id_scan", "id_in_hand"), ("ID_SCAN_ILLEGIBLE",),
                               "id_scan"),
}


@pytest.mark.parametrize("case_id", list(CASES))
def test_manual_review_unlock(case_id: str, api_factory: Callable[[], Api],
                              scenario: Scenario, locked_key: Callable[[str], VirtualKey]
                              ) -> None:
    case = CASES[case_id]
    persona = scenario.certificate(case.persona)
    key = locked_key(case.persona)
    assert key.is_blocked()
    is_org = persona.company is not None and persona.holder is None
    person = persona.company.operator if is_org else persona.holder  # type: ignore[union-attr]
    assert person is not None

    api = api_factory()
    api.login(person.mobile)  # *-MR-1, *-MR-2
    me = Applicant(api)
    order_no = me.open(persona)  # *-MR-3, *-MR-4
    form = org_form(persona.company) if is_org else personal_form(person)  # type: ignore[arg-type]
    page = me.fill(order_no, form)  # ORG-MR-5 / PER-MR-5
    assert page["fields"]["org_name" if is_org else "applicant_name"] == (
        persona.company.name if is_org else person.name)  # type: ignore[union-attr]
    assert not page["can_submit"]

    pdf = me.pdf(order_no)  # ORG-MR-6 (the personal wizard's 打印申请表 too)
    assert pdf.startswith(b"%PDF-")
    for n, slot in enumerate(case.uploads):
        if slot == "application_form":  # the printed form comes back signed and sealed
            me.upload_ok(order_no, slot, "申请表.pdf", pdf, "application/pdf")
        else:
            me.upload_ok(order_no, slot, f"{slot}.jpg", jpeg(text=f"{slot}-{n}"))
    page = me.page(order_no)
    if is_org:
        assert page["missing"] == ["完成经办人人脸验证"]
        me.pass_face(order_no)  # ORG-MR-8
    else:
        assert page["face"]["required"] is False
    page = me.page(order_no)
    assert page["missing"] == [] and page["can_submit"]

    page = me.submit(order_no)  # ORG-MR-9 / PER-MR-7
    assert page["order"]["state"] == "submitted"
    assert page["deadline"]["due_date"] == "2026-12-01"  # Thu 11-26: Fri, Mon, Tue
    assert "三个工作日内" in page["deadline"]["text"]
    assert not page["can_edit"]

    staff = Reviewer(api_factory())
    assert order_no in [o["order_no"] for o in staff.queue()]
    detail = staff.open(order_no)
    assert {d["slot"] for d in detail["documents"]} == set(case.uploads)
    if case.persona == "org_personal":
        assert any("加盖单位公章" in c for c in detail["checks"])
    staff.reject(order_no, list(case.reject), case.detail)

    # ORG-MR-10: 个人中心 → 我的业务单 → the order → 编辑
    mine = api.ok("GET", "/orders")["orders"]
    assert [o["state"] for o in mine if o["order_no"] == order_no] == ["rejected"]
    page = me.page(order_no)
    assert page["can_edit"]
    shown = page["rejection"]
    assert [r["code"] for r in shown["reasons"]] == list(case.reject)
    assert all(r["label"] and r["hint"] for r in shown["reasons"])
    assert shown["detail"] == case.detail
    old = next(s["document"] for s in page["slots"] if s["slot"] == case.fix_slot)
    fixed = me.upload_ok(order_no, case.fix_slot, "fixed.jpg", jpeg(text="fixed"))
    assert fixed["review_round"] == 2
    if is_org:
        me.fill(order_no, {**form, "address": "深圳市福田区福华三路100号鹏城大厦19楼"})
    me.submit(order_no)

    staff.approve(order_no)
    sms = api.control.last_sms(person.mobile)  # PER-MR-7
    assert sms.template_id == "1000003" and order_no in sms.params

    page = me.page(order_no)
    assert page["order"]["state"] == "approved"
    assert page["order"]["next_steps"][0] == "unlock"
    assert [(r["round"], r["decision"]) for r in page["rounds"]] == [
        (1, "rejected"), (2, "approved")]
    history = staff.open(order_no)
    by_id = {d["id"]: d for d in history["documents"]}
    assert by_id[old["id"]]["status"] == "replaced"  # the first round's file is kept
    assert staff.api.call("GET", f"/staff/reviews/{order_no}/documents/{old['id']}"
                          ).status_code == 200

    # ORG-MR-11 / PER-MR-8: 解锁, the new PIN verifies on the card
    assert unlock_with_agent(api, order_no, key) == "completed"
    key.assert_unlocked_with(NEW_PIN, persona.serial_hex)
    final = api.order(order_no)
    assert [h["event"] for h in final["history"]] == [
        "submit", "reject", "resubmit", "approve", "complete_unlock"]
