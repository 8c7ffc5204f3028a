from __future__ import annotations

from fastapi import APIRouter

from szca_unlock.service.deps import Ctx

router = APIRouter(tags=["health"])


@router.get("/health")
def health(ctx: Ctx) -> dict[str, str]:
    # "instance": the SZCA_INSTANCE_ID the service was started with, if any, so the one who
    # started it knows the answer comes from this process and not another on the same
    # address (several emulated worlds on one machine).
    answer = {"status": "ok"}
    if ctx.settings.instance_id:
        answer["instance"] = ctx.settings.instance_id
    return answer
