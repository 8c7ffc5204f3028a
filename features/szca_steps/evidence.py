"""What a failing scenario's report carries: the providers' journal, the SMS outbox and the
order history of that scenario (terminal sections, and JUnit properties for CI)."""

from __future__ import annotations

import json
from typing import Any

from .context import Ctx, body_of


def _mobiles(ctx: Ctx) -> list[str]:
    people = ctx.world.scenario.people.values()
    return sorted({m for p in people for m in (p.mobile, p.reserved_mobile)})


def evidence(ctx: Ctx) -> dict[str, str]:
    """Section title → text; a part that cannot be read says why instead of hiding the rest."""
    parts: dict[str, Any] = {}
    try:
        parts["provider journal"] = [
            {"id": e.id, "provider": e.provider, "action": e.action, "status": e.status,
             "fault": e.fault, "response": e.response} for e in ctx.world.journal()]
    except Exception as exc:  # the report must still be written
        parts["provider journal"] = f"unreadable: {exc}"
    try:
        parts["SMS outbox"] = [{"to": f"…{m.mobile[-4:]}", "template": m.template_id,
                                "text": m.text} for mobile in _mobiles(ctx)
                               for m in ctx.world.outbox(mobile)]
    except Exception as exc:
        parts["SMS outbox"] = f"unreadable: {exc}"
    if ctx.order_no:
        try:
            order = body_of(ctx.client.get_order(ctx.order_no))
            parts["order history"] = {"order_no": ctx.order_no, "state": order["state"],
                                      "history": order["history"]}
        except Exception as exc:
            parts["order history"] = f"unreadable: {exc}"
    return {title: value if isinstance(value, str)
            else json.dumps(value, ensure_ascii=False, indent=1, default=str)
            for title, value in parts.items()}
