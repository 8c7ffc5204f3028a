"""``szca`` subcommands of the manual-review flow (the applicant's side).

    szca manual JS202611260001                       # the page: missing items, deadline, reason
    szca manual-form JS202611260001 applicant_name=黄伟 applicant_id_number=... ...
    szca application-form JS202611260001 -o 申请表.pdf
    szca upload JS202611260001 id_scan scan.jpg
    szca submit JS202611260001                       # 提交 / 重新提交
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from szca_unlock.api.manual import ManualView
from szca_unlock.cli.session import ConsolePrompter, logged_in_client

AddParser = Callable[..., argparse.ArgumentParser]
Command = Callable[[argparse.Namespace, ConsolePrompter], int]


def show_page(page: ManualView, io: ConsolePrompter) -> None:
    """The manual-review page as text (the reviewer's detail shows the same head)."""
    io.say(f"业务单 {page.order.order_no}  {page.order.state_label}  {page.order.certificate_type}")
    io.say(f"需上传：{page.requirement}")
    for slot in page.slots:
        io.say(f"  {slot.slot}  {slot.label}:"
               f"{slot.document.filename if slot.document else '未上传'}")
    if page.rejection:
        reasons = ";".join(r.label for r in page.rejection.reasons)
        io.say(f"驳回原因：{reasons}" + (f"（{page.rejection.detail}）"
                                        if page.rejection.detail else ""))
    if page.missing:
        io.say("尚需：" + "、".join(page.missing))
    if page.deadline:
        io.say(page.deadline.text)


def cmd_manual(args: argparse.Namespace, io: ConsolePrompter) -> int:
    with logged_in_client(args.url) as client:
        show_page(client.manual_page(args.order), io)
    return 0


def cmd_manual_form(args: argparse.Namespace, io: ConsolePrompter) -> int:
    fields = dict(pair.split("=", 1) for pair in args.fields)
    with logged_in_client(args.url) as client:
        page = client.save_manual_form(args.order, **fields)
        io.say("申请信息已保存")
        show_page(page, io)
    return 0


def cmd_application_form(args: argparse.Namespace, io: ConsolePrompter) -> int:
    target = Path(args.output or f"申请表-{args.order}.pdf")
    with logged_in_client(args.url) as client:
        target.write_bytes(client.application_form_pdf(args.order))
    io.say(f"申请表已保存到 {target}，请打印、签字、填写日期并加盖公章后上传")
    return 0


def cmd_upload(args: argparse.Namespace, io: ConsolePrompter) -> int:
    path = Path(args.file)
    with logged_in_client(args.url) as client:
        doc = client.upload_document(args.order, args.slot, path.name, path.read_bytes())
    io.say(f"已上传{doc.slot_label}：{doc.filename}（{doc.size_bytes} 字节）")
    return 0


def cmd_submit(args: argparse.Namespace, io: ConsolePrompter) -> int:
    with logged_in_client(args.url) as client:
        page = client.submit_manual(args.order)
    io.say(f"已提交审核：{page.order.order_no}")
    if page.deadline:
        io.say(page.deadline.text)
    return 0


def order_command(add_parser: AddParser, name: str, help: str,
                  run: Command) -> argparse.ArgumentParser:
    """A subcommand whose first argument is an order number."""
    parser = add_parser(name, help=help)
    parser.add_argument("order")
    parser.set_defaults(run=run)
    return parser


def register(add_parser: AddParser) -> None:
    order_command(add_parser, "manual", "人工审核业务单：待办事项、截止日期、驳回原因",
                  cmd_manual)
    form = order_command(add_parser, "manual-form", "填写人工审核申请信息（字段=值）",
                         cmd_manual_form)
    form.add_argument("fields", nargs="+", metavar="FIELD=VALUE")
    pdf = order_command(add_parser, "application-form", "下载申请表 PDF", cmd_application_form)
    pdf.add_argument("-o", "--output")
    upload = order_command(add_parser, "upload", "上传资料", cmd_upload)
    upload.add_argument("slot")
    upload.add_argument("file")
    order_command(add_parser, "submit", "提交（或重新提交）审核", cmd_submit)
