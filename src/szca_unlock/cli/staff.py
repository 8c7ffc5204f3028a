"""``szca`` subcommands of CA staff: log in, the review queue, one review, the decision.

    szca staff-login reviewer1                       # password from stdin
    szca reviews | szca review ORDER | szca approve ORDER | szca reject ORDER --reason CODE
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from szca_unlock.cli.manual import order_command, show_page
from szca_unlock.cli.session import ConsolePrompter, logged_in_client, save_session
from szca_unlock.client import ServiceClient

AddParser = Callable[..., argparse.ArgumentParser]


def cmd_staff_login(args: argparse.Namespace, io: ConsolePrompter) -> int:
    password = args.password or io.ask("请输入密码", secret=True)
    with ServiceClient(args.url) as client:
        login = client.staff_login(args.username, password)
        save_session(args.url, login.token)
    io.say(f"登录成功：{login.display_name}")
    return 0


def cmd_reviews(args: argparse.Namespace, io: ConsolePrompter) -> int:
    with logged_in_client(args.url) as client:
        queue = client.review_queue()  # the first page: the nearest deadlines
    shown = f"（显示截止最近的 {len(queue.orders)} 单）" if queue.next_cursor else ""
    io.say(f"待审核 {queue.count} 单{shown}")
    for item in queue.orders:
        due = item.deadline.due_date if item.deadline else "-"
        io.say(f"{item.order_no}  {item.certificate_type}  {item.holder_name}  "
               f"第{item.review_round}次提交  截止 {due}" + ("  已超期" if item.overdue else ""))
    return 0


def cmd_review(args: argparse.Namespace, io: ConsolePrompter) -> int:
    with logged_in_client(args.url) as client:
        detail = client.review(args.order)
    show_page(detail, io)
    for doc in detail.documents:
        io.say(f"  [{doc.id}] 第{doc.review_round}轮 {doc.slot_label} {doc.filename} "
               f"{doc.status_label}")
    for check in detail.checks:
        io.say(f"  审核要点：{check}")
    io.say("可选驳回原因：" + "、".join(f"{r.code}（{r.label}）" for r in detail.reasons))
    return 0


def cmd_approve(args: argparse.Namespace, io: ConsolePrompter) -> int:
    with logged_in_client(args.url) as client:
        decision = client.approve(args.order, args.note)
    io.say(f"{decision.order.order_no} {decision.order.state_label}")
    notice = decision.notification
    if notice:
        io.say(f"审核通过短信已发送至{notice.mobile_masked}" if notice.sent
               else f"审核通过短信发送失败：{notice.error}")
    return 0


def cmd_reject(args: argparse.Namespace, io: ConsolePrompter) -> int:
    with logged_in_client(args.url) as client:
        decision = client.reject(args.order, args.reason, args.detail)
    io.say(f"{decision.order.order_no} {decision.order.state_label}")
    return 0


def register(add_parser: AddParser) -> None:
    staff = add_parser("staff-login", help="审核人员登录")
    staff.add_argument("username")
    staff.add_argument("--password", help="密码（脚本用；省略则从标准输入读取）")
    staff.set_defaults(run=cmd_staff_login)
    add_parser("reviews", help="待审核列表（按截止日期）").set_defaults(run=cmd_reviews)
    order_command(add_parser, "review", "查看待审核业务单及资料", cmd_review)
    approve = order_command(add_parser, "approve", "审核通过（发送短信）", cmd_approve)
    approve.add_argument("--note")
    reject = order_command(add_parser, "reject", "审核驳回", cmd_reject)
    reject.add_argument("--reason", action="append", required=True, help="驳回原因代码，可多次")
    reject.add_argument("--detail", help="驳回说明（选择 OTHER 时必填）")
