"""Manual review (ORG-MR, PER-MR): the form, the application PDF, uploads, the operator's
face check, submission, the CA reviewer's decision, and 我的业务单 → 编辑 / 解锁."""

from __future__ import annotations

import hashlib
import io
import mimetypes
import re
from datetime import date, datetime, time

from pypdf import PdfReader
from pytest_bdd import given, parsers, then, when

from emulator.bdd.personas import CERTIFICATE_BY_LABEL
from emulator.mock_providers.client import SMS_PURPOSES

from . import actions
from .context import ACTORS, Answer, Ctx, body_of
from .deadlines import BEIJING, beijing_date, expected_deadline
from .documents import SLOTS, scan, wrong_file


def _order_no(ctx: Ctx) -> str:
    assert ctx.order_no, "no order opened yet"
    return ctx.order_no


def _manual(ctx: Ctx) -> dict:
    return dict(body_of(ctx.client.manual_page(_order_no(ctx))))


# 录入信息: the form's labels → its fields (the same label names the operator's or the
# applicant's field, by certificate kind).
ORG_LABELS = {"机构证件号码": "org_id_number", "费用（元）": "fee",
              "单位经办人姓名": "operator_name", "身份证号码": "operator_id_number",
              "移动电话": "operator_mobile", "职务": "operator_title"}
PERSONAL_LABELS = {"申请人姓名": "applicant_name", "身份证号码": "applicant_id_number",
                   "移动电话": "applicant_mobile"}
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _is_org(ctx: Ctx) -> bool:
    return ctx.persona is not None and ctx.persona.holder is None


def field_of(ctx: Ctx, label: str) -> str:
    return (ORG_LABELS if _is_org(ctx) else PERSONAL_LABELS)[label]


def _other_last(value: str, alphabet: str) -> str:
    """``value`` with another valid last character: the check digit no longer fits."""
    return value[:-1] + next(c for c in alphabet if c != value[-1])


def wrong_value(description: str, right: str) -> str:
    """The features' bad form values, made from the right one."""
    return {"含数字的姓名": right[:1] + "3" + right[1:],
            "校验位错误的身份证号码": _other_last(right, "0123456789X"),
            "10位数字": right[:10],
            "校验位错误的统一社会信用代码": _other_last(right, _USCC_CHARS)}.get(description,
                                                                               description)


def fill_form(ctx: Ctx, skip: str | None = None, wrong: tuple[str, str] | None = None) -> Answer:
    if ctx.persona is not None and ctx.persona.company is not None and ctx.persona.holder is None:
        company, operator = ctx.company, ctx.company.operator
        fields = {"org_name": company.name, "org_id_type": "统一社会信用代码证",
                  "org_id_number": company.uscc, "fee": "0", "province": company.province,
                  "city": company.city, "address": company.address or "深圳市南山区",
                  "operator_name": operator.name, "operator_id_number": operator.id_number,
                  "operator_mobile": operator.mobile, "operator_title": operator.title or "",
                  "operator_email": operator.email or ""}
    else:
        holder = ctx.person("申请人")
        fields = {"applicant_name": holder.name, "applicant_id_number": holder.id_number,
                  "applicant_mobile": holder.mobile}
    if skip:
        fields.pop(field_of(ctx, skip))
    if wrong:
        name = field_of(ctx, wrong[0])
        fields[name] = wrong_value(wrong[1], str(fields[name]))
    return ctx.driver.save_manual_form(ctx, fields)


def upload(ctx: Ctx, document: str, filename: str | None = None,
           data: bytes | None = None) -> Answer:
    name = filename or f"{document}.jpg"
    slot = SLOTS[document]
    done = ctx.uploaded.setdefault(slot, [])
    content = data if data is not None else scan(document, variant=len(done))
    # the type a browser sends for the file's extension
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    answer = ctx.driver.upload(ctx, slot, name, content, content_type)
    if answer.ok:
        done.append(hashlib.sha256(content).hexdigest())
    return answer


def operator_face(ctx: Ctx, outcome: str) -> Answer:
    return ctx.driver.operator_face(ctx, outcome)


def submit(ctx: Ctx) -> Answer:
    return ctx.driver.submit_manual(ctx)


def _listed(documents: list | dict) -> list:
    return documents if isinstance(documents, list) else documents["documents"]


def _documents_for(ctx: Ctx) -> tuple[str, str]:
    if ctx.persona is not None and ctx.persona.holder is None:
        return "申请表", "营业执照复印件"
    return "身份证扫描件", "申请人手持身份证"


# --- 假如 -----------------------------------------------------------------------------
@given(parsers.re(r'(?:经办人已填写机构证书|申请人已填写"(?P<kind>[^"]+)")人工审核解锁信息'))
def form_filled(ctx: Ctx, kind: str | None) -> None:
    actor = "经办人" if kind is None else "申请人"
    if kind is not None:
        ctx.persona = ctx.world.scenario.certificate(CERTIFICATE_BY_LABEL[kind])
        ctx.key = ctx.world.locked_key(ctx.persona)
        ctx.keys = [ctx.key]
    actions.login(ctx, actor)
    assert actions.accept_agreements(ctx).ok, ctx.attempt
    assert actions.open_order(ctx, "人工审核解锁").ok, ctx.attempt
    assert fill_form(ctx).ok, ctx.attempt


@given('经办人已上传"申请表"和"营业执照复印件"')
def documents_uploaded(ctx: Ctx) -> None:
    for document in _documents_for(ctx):
        assert upload(ctx, document).ok, ctx.attempt


@given(parsers.re(r'(?:经办人已提交机构证书|申请人已提交"(?P<kind>[^"]+)")人工审核解锁业务单'))
def submitted(ctx: Ctx, kind: str | None) -> None:
    form_filled(ctx, kind)
    documents_uploaded(ctx)
    if kind is None:
        assert operator_face(ctx, "pass").ok, ctx.attempt
    assert submit(ctx).ok, ctx.attempt


# --- 当 -------------------------------------------------------------------------------
@when(parsers.re(ACTORS + r"填写(?:单位信息和经办人信息|申请人姓名、身份证号码和移动电话)"))
def fill(ctx: Ctx, actor: str) -> None:
    assert fill_form(ctx).ok, ctx.attempt


@when(parsers.re(r'经办人填写单位信息和经办人信息但未填写"(?P<label>[^"]+)"'))
def fill_without(ctx: Ctx, label: str) -> None:
    fill_form(ctx, skip=label)


@when(parsers.re(ACTORS + r'填写(?:单位信息和经办人信息|申请人信息)但"(?P<label>[^"]+)"填写为'
                 r'(?P<value>.+)'))
def fill_wrong(ctx: Ctx, actor: str, label: str, value: str) -> None:
    fill_form(ctx, wrong=(label, value))


@when(parsers.re(ACTORS + r'尝试上传"(?P<document>[^"]+)"'))
def try_upload(ctx: Ctx, actor: str, document: str) -> None:
    upload(ctx, document)


@when(parsers.re(ACTORS + r"确认信息无误后打印申请表"))
def print_form(ctx: Ctx, actor: str) -> None:
    ctx.application_pdf = ctx.driver.application_pdf(ctx)


@when(parsers.re(ACTORS + r'上传(?:已签字盖章的|加盖单位公章的)?"(?P<document>[^"]+)"'))
def upload_document(ctx: Ctx, actor: str, document: str) -> None:
    assert upload(ctx, document).ok, ctx.attempt


@when(parsers.re(ACTORS + r'上传(?P<description>一个.+)作为"(?P<document>[^"]+)"'))
def upload_wrong(ctx: Ctx, actor: str, description: str, document: str) -> None:
    upload(ctx, document, *wrong_file(description))


@when(parsers.re(ACTORS + r"(?:重新)?提交业务单"))
def press_submit(ctx: Ctx, actor: str) -> None:
    submit(ctx)


@when(parsers.re(ACTORS + r'在我的业务单中点击该单据的"编辑"'))
def edit(ctx: Ctx, actor: str) -> None:
    ctx.driver.find_in_my_orders(ctx, "编辑")


@when(parsers.re(ACTORS + r'在我的业务单中找到该单据并点击"解锁"设置新密码'))
def unlock_from_my_orders(ctx: Ctx, actor: str) -> None:
    ctx.driver.find_in_my_orders(ctx, "解锁")
    actions.unlock(ctx)


@when("深圳CA审核人员审核通过该业务单")
def approve(ctx: Ctx) -> None:
    ctx.driver.approve(ctx)


@when(parsers.re(r'深圳CA审核人员以"(?P<label>[^"]+)"为由驳回该业务单'))
def reject(ctx: Ctx, label: str) -> None:
    ctx.driver.reject(ctx, label)


# --- 那么 -------------------------------------------------------------------------------
@then("单位信息中的机构名称和机构证件号码与证书一致")
def org_shown(ctx: Ctx) -> None:
    organisation = ctx.order()["certificate"]["organisation"]
    assert (organisation["name"], organisation["uscc"]) == (ctx.company.name, ctx.company.uscc)


@then("申请表载明业务单号、单位信息和经办人信息并留有签名、申请日期和单位公章的位置")
def application_form_pdf(ctx: Ctx) -> None:
    raw = "".join(page.extract_text() for page in PdfReader(io.BytesIO(ctx.application_pdf)).pages)
    # pypdf spaces CJK glyphs with blanks and NULs; compare on the visible characters only
    text = "".join(ch for ch in raw if ch.isprintable() and not ch.isspace())
    for expected in (ctx.order_no, ctx.company.name, ctx.company.uscc,
                     ctx.company.operator.name):
        assert expected and expected in text, f"{expected!r} not on the form: {text[:300]}"
    for blank in ("签", "日期", "公章"):
        assert blank in text, f"no room for {blank}"


@then(parsers.re(r'经办人可以预览已上传的"(?P<first>[^"]+)"和"(?P<second>[^"]+)"'))
def previews(ctx: Ctx, first: str, second: str) -> None:
    documents = body_of(ctx.client.list_documents(_order_no(ctx)))
    by_slot = {d["slot"]: d for d in _listed(documents)}
    for label in (first, second):
        document = by_slot[SLOTS[label]]
        preview = ctx.client.document_preview(_order_no(ctx), document["id"])  # 2xx or raises
        assert preview.startswith(b"\x89PNG")


@then(parsers.re(r'系统以"(?P<reason>[^"]+)"拒绝该文件'))
def upload_refused(ctx: Ctx, reason: str) -> None:
    assert ctx.attempt is not None, ctx.attempt
    code, shown = ctx.attempt.error["code"], ctx.attempt.text()
    # A file just over 2M is read and refused by the upload check (422); a larger body is
    # refused before it is read (413). Same code and message either way.
    assert ctx.attempt.status == 422 or (reason == "文件超过2M" and ctx.attempt.status == 413), \
        ctx.attempt
    if reason == "文件超过2M":
        assert code.startswith("upload.") and "2M" in shown.replace(" ", ""), (code, shown)
    else:
        assert code.startswith("upload.") and re.search("jpg|格式", shown), (code, shown)


@then(parsers.re(r'业务单中没有已上传的"(?P<document>[^"]+)"'))
def nothing_stored(ctx: Ctx, document: str) -> None:
    documents = body_of(ctx.client.list_documents(_order_no(ctx), history=True))
    slots = [d["slot"] for d in _listed(documents)]
    assert SLOTS[document] not in slots, slots


@then(parsers.re(r'系统提示"(?P<label>[^"]+)"为必填项'))
def required_field(ctx: Ctx, label: str) -> None:
    assert ctx.attempt is not None and ctx.attempt.status == 422, ctx.attempt
    assert ctx.attempt.error.get("field") == field_of(ctx, label), ctx.attempt
    assert label in ctx.attempt.text(), ctx.attempt.text()


@then(parsers.re(r'系统指出"(?P<label>[^"]+)"填写有误:(?P<words>.+)'))
def wrong_field(ctx: Ctx, label: str, words: str) -> None:
    assert ctx.attempt is not None and ctx.attempt.status == 422, ctx.attempt
    assert ctx.attempt.error.get("field") == field_of(ctx, label), ctx.attempt
    assert words in ctx.attempt.text(), ctx.attempt.text()


@then(parsers.re(r'系统提示该业务单无需上传"(?P<document>[^"]+)"'))
def slot_not_offered(ctx: Ctx, document: str) -> None:
    assert ctx.attempt is not None and ctx.attempt.status == 404, ctx.attempt
    assert ctx.attempt.error["code"] == "document.slot_unknown", ctx.attempt
    assert "无需" in ctx.attempt.text(), ctx.attempt.text()


@then(parsers.re(r'业务单中的"(?P<document>[^"]+)"是重新上传的文件,驳回前的文件保留在历史记录中'))
def file_replaced(ctx: Ctx, document: str) -> None:
    slot = SLOTS[document]
    sent = ctx.uploaded.get(slot, [])
    assert len(sent) >= 2, f"{document} was uploaded {len(sent)} time(s)"
    every = [d for d in _listed(body_of(ctx.client.list_documents(_order_no(ctx), history=True)))
             if d["slot"] == slot]
    current = [d for d in every if d["status"] == "current"]
    assert [d["sha256"] for d in current] == [sent[-1]], every
    old = [d for d in every if d["sha256"] == sent[-2]]
    assert old and old[0]["status"] == "replaced", every
    assert old[0]["review_round"] < current[0]["review_round"], every
    shown = [d["sha256"] for d in _listed(body_of(ctx.client.list_documents(_order_no(ctx))))
             if d["slot"] == slot]
    assert shown == [sent[-1]], shown  # the page lists the new file only


@then(parsers.re(r'系统提示缺少"(?P<document>[^"]+)"'))
def missing_document(ctx: Ctx, document: str) -> None:
    assert ctx.attempt is not None and ctx.attempt.status == 409, ctx.attempt
    assert ctx.attempt.error["code"] == "submit.incomplete"
    assert document in ctx.attempt.text(), ctx.attempt.text()


@then("系统提示须先完成经办人活体认证")
def face_required(ctx: Ctx) -> None:
    assert ctx.attempt is not None and ctx.attempt.status == 409, ctx.attempt
    assert re.search("人脸|活体", ctx.attempt.text()), ctx.attempt.text()


@then(parsers.re(r'业务单状态不是"(?P<label>[^"]+)"'))
def state_is_not(ctx: Ctx, label: str) -> None:
    assert ctx.order()["state_label"] != label


def _submitted_on(ctx: Ctx) -> date:
    """The Beijing date of the latest (re)submission, from the order's history."""
    times = [datetime.fromisoformat(e["at"]) for e in ctx.order()["history"]
             if e["event"] in ("submit", "resubmit")]
    assert times, "the order was never submitted"
    return beijing_date(times[-1])


def _assert_deadline(ctx: Ctx, due: date, estimated: bool) -> None:
    deadline = _manual(ctx)["deadline"]
    assert deadline is not None, "no review deadline shown"
    assert (deadline["due_date"], deadline["estimated"]) == (due.isoformat(), estimated), deadline
    # due by the end of that day in Beijing, whatever zone the instant is written in
    shown = datetime.fromisoformat(deadline["due"]).astimezone(BEIJING)
    assert shown.date() == due and shown.time() >= time(23, 59, 59), deadline
    assert "三个工作日" in deadline["text"] or "3个工作日" in deadline["text"], deadline


@then("审核期限为提交后的三个工作日内")
def deadline(ctx: Ctx) -> None:
    due, estimated = expected_deadline(_submitted_on(ctx))
    _assert_deadline(ctx, due, estimated)


@then(parsers.re(r"审核期限为(?P<due>\d{4}-\d{2}-\d{2})当日结束前"))
def deadline_is(ctx: Ctx, due: str) -> None:
    expected = date.fromisoformat(due)
    assert expected_deadline(_submitted_on(ctx)) == (expected, False), \
        "the example row disagrees with the hand-written holiday calendar"
    _assert_deadline(ctx, expected, False)


@then(parsers.re(r'我的业务单中该单据显示驳回理由"(?P<label>[^"]+)"'))
def rejection_shown(ctx: Ctx, label: str) -> None:
    rejection = _manual(ctx)["rejection"]
    assert label in str(rejection), rejection


@then(parsers.re(r"申请人的手机(?P<none>没有)?收到审核通过短信"))
def approval_sms(ctx: Ctx, none: str | None) -> None:
    sms = [m for m in ctx.world.outbox(ctx.person("申请人").mobile)
           if m.template_id == SMS_PURPOSES["approval"]]
    if none:
        assert sms == [], sms
    else:
        assert sms and ctx.order_no in sms[0].text, sms
        # it tells the user where to go on: the 网上营业厅, 我的业务单, 【解锁】
        assert all(w in sms[0].text for w in ("网上营业厅", "我的业务单", "【解锁】")), sms[0].text
