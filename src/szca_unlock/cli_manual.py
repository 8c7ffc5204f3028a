"""``szca`` subcommands of the manual-review flow and the staff review queue.

    szca manual JS202611260001                       # the page: missing items, deadline, reason
    szca manual-form JS202611260001 applicant_name=黄伟 applicant_id_number=... ...
    szca application-form JS202611260001 -o 申请表.pdf
    szca upload JS202611260001 id_scan scan.jpg
    szca submit JS202611260001                       # 提交 / 重新提交
    szca staff-login reviewer1                       # password from stdin
    szca reviews | szca review ORDER | szca approve ORDER | szca reject ORDER --reason CODE
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from szca_unlock.api.manual import ManualView


def _cli() -> Any:
    from szca_unlock import cli  # the session file and prompter live there (no import cycle)

    return cli


def _show_page(page: ManualView, io: Any) -> None:
    io.say(f"业务单 {page.order.order_no}  {page.order.state_label}  {page.order.certificate_type}")
    io.say(f"需上传:{page.requirement}")
    for slot in page.slots:
        io.say(f"  {slot.slot}  {slot.label}:"
               f"{slot.document.filename if slot.document else '未上传'}")
    if page.rejection:
        reasons = ";".join(r.label for r in page.rejection.reasons)
        io.say(f"驳回原因:{reasons}" + (f"({page.rejection.detail})"
                                        if page.rejection.detail else ""))
    if page.missing:
        io.say("尚需:" + "、".join(page.missing))
    if page.deadline:
        io.say(page.deadline.text)


def cmd_manual(args: argparse.Namespace, io: Any) -> int:
    with _cli()._client(args) as client:
        _show_page(client.manual_page(args.order), io)
    return 0


def cmd_manual_form(args: argparse.Namespace, io: Any) -> int:
    fields = dict(pair.split("=", 1) for pair in args.fields)
    with _cli()._client(args) as client:
        page = client.save_manual_form(args.order, **fields)
        io.say("申请信息已保存")
        _show_page(page, io)
    return 0


def cmd_application_form(args: argparse.Namespace, io: Any) -> int:
    target = Path(args.output or f"申请表-{args.order}.pdf")
    with _cli()._client(args) as client:
        target.write_bytes(client.application_form_pdf(args.order))
    io.say(f"申请表已保存到 {target},请打印、签字、填写日期并加盖公章后上传")
    return 0


def cmd_upload(args: argparse.Namespace, io: Any) -> int:
    path = Path(args.file)
    with _cli()._client(args) as client:
        doc = client.upload_document(args.order, args.slot, path.name, path.read_bytes())
    io.say(f"已上传{doc.slot_label}:{doc.filename}({doc.size_bytes} 字节)")
    return 0


def cmd_submit(args: argparse.Namespace, io: Any) -> int:
    with _cli()._client(args) as client:
        page = client.submit_manual(args.order)
    io.say(f"已提交审核:{page.order.order_no}")
    if page.deadline:
        io.say(page.deadline.text)
    return 0


def cmd_staff_login(args: argparse.Namespace, io: Any) -> int:
    cli = _cli()
    password = args.password or io.ask("请输入密码", secret=True)
    with cli.ServiceClient(args.url) as client:
        login = client.staff_login(args.username, password)
        cli._save_session(args.url, login.token)
    io.say(f"登录成功:{login.display_name}")
    return 0


def cmd_reviews(args: argparse.Namespace, io: Any) -> int:
    with _cli()._client(args) as client:
        queue = client.review_queue()
    io.say(f"待审核 {queue.count} 单")
    for item in queue.orders:
        due = item.deadline.due_date if item.deadline else "-"
        io.say(f"{item.order_no}  {item.certificate_type}  {item.holder_name}  "
               f"第{item.review_round}次提交  截止 {due}" + ("  已超期" if item.overdue else ""))
    return 0


def cmd_review(args: argparse.Namespace, io: Any) -> int:
    with _cli()._client(args) as client:
        detail = client.review(args.order)
    _show_page(detail, io)
    for doc in detail.documents:
        io.say(f"  [{doc.id}] 第{doc.review_round}轮 {doc.slot_label} {doc.filename} "
               f"{doc.status_label}")
    for check in detail.checks:
        io.say(f"  审核要点:{check}")
    io.say("可选驳回原因:" + "、".join(f"{r.code}({r.label})" for r in detail.reasons))
    return 0


def cmd_approve(args: argparse.Namespace, io: Any) -> int:
    with _cli()._client(args) as client:
        decision = client.approve(args.order, args.note)
    io.say(f"{decision.order.order_no} {decision.order.state_label}")
    notice = decision.notification
    if notice:
        io.say(f"审核通过短信已发送至{notice.mobile_masked}" if notice.sent
               else f"审核通过短信发送失败:{notice.error}")
    return 0


def cmd_reject(args: argparse.Namespace, io: Any) -> int:
    with _cli()._client(args) as client:
        decision = client.reject(args.order, args.reason, args.detail)
    io.say(f"{decision.order.order_no} {decision.order.state_label}")
    return 0


def register(sub: Any) -> None:
    """Add the subcommands to ``szca``'s subparsers."""
    def order_command(name: str, help: str, run: Any) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = sub.add_parser(name, help=help)
        parser.add_argument("order")
        parser.set_defaults(run=run)
        return parser

    order_command("manual", "人工审核业务单:待办事项、截止日期、驳回原因", cmd_manual)
    form = order_command("manual-form", "填写人工审核申请信息(字段=值)", cmd_manual_form)
    form.add_argument("fields", nargs="+", metavar="FIELD=VALUE")
    pdf = order_command("application-form", "下载申请表 PDF", cmd_application_form)
    pdf.add_argument("-o", "--output")
    upload = order_command("upload", "上传资料", cmd_upload)
    upload.add_argument("slot")
    upload.add_argument("file")
    order_command("submit", "提交(或重新提交)审核", cmd_submit)
    staff = sub.add_parser("staff-login", help="审核人员登录")
    staff.add_argument("username")
    staff.add_argument("--password", help="密码(脚本用;省略则从标准输入读取)")
    staff.set_defaults(run=cmd_staff_login)
    sub.add_parser("reviews", help="待审核列表(按截止日期)").set_defaults(run=cmd_reviews)
    order_command("review", "查看待审核业务单及资料", cmd_review)
    approve = order_command("approve", "审核通过(发送短信)", cmd_approve)
    approve.add_argument("--note")
    reject = order_command("reject", "审核驳回", cmd_reject)
    reject.add_argument("--reason", action="append", required=True, help="驳回原因代码,可多次")
    reject.add_argument("--detail", help="驳回说明(选择 OTHER 时必填)")
