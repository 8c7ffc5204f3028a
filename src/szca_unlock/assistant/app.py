"""The helper's HTTP face (``http://127.0.0.1:PORT``), for the portal's pages only.

    GET  /v1/status          name, version, the U-KEYs it can see (the page's detection)
    POST /v1/unlock          {order_no, ticket, new_pin, confirm_pin} → 202 {job}
    GET  /v1/jobs/{id}       the job: progress, then done or the error (in Chinese)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, StringConstraints
from starlette.responses import JSONResponse, Response

from szca_unlock.assistant.guard import OriginGuard, refusal
from szca_unlock.assistant.jobs import BusyError, UnlockRunner
from szca_unlock.ukey import UKeyDriver, UKeyError

NAME = "数字证书管理工具"
VERSION = "1.0"
Field = Annotated[str, StringConstraints(max_length=256)]


@dataclass(frozen=True)
class AssistantConfig:
    portal_origin: str  # e.g. http://127.0.0.1:8400: the only origin served
    service_url: str  # where the service's /api is (usually the portal itself)
    port: int = 8410
    instance: str = ""  # SZCA_INSTANCE_ID: echoed by /v1/status (who answers)


class UnlockRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    order_no: Field
    ticket: Field = ""
    new_pin: Field = ""
    confirm_pin: Field = ""


def create_assistant_app(config: AssistantConfig,
                         driver_factory: Callable[[], UKeyDriver]) -> FastAPI:
    app = FastAPI(title=NAME, version=VERSION, docs_url=None, redoc_url=None,
                  openapi_url=None)
    runner = UnlockRunner(config.service_url, driver_factory)
    app.state.runner = runner

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, __: Exception) -> Response:
        return refusal(422, "assistant.invalid_request", "请求内容不正确，请刷新网页后重试")

    @app.get("/v1/status")
    def status() -> dict[str, object]:
        try:
            keys = [{"serial": k.serial, "driver": str(k.driver)}
                    for k in driver_factory().list_keys()]
            problem = ""
        except UKeyError as exc:
            keys, problem = [], exc.message
        return {"name": NAME, "version": VERSION, "keys": keys, "problem": problem,
                "instance": config.instance}

    @app.post("/v1/unlock", status_code=202)
    def unlock(body: UnlockRequest) -> Response:
        if not body.ticket:
            return refusal(403, "assistant.ticket_missing",
                           "缺少解锁凭证，请回到网上营业厅页面重新点击“立即解锁”")
        try:
            job = runner.start(body.order_no, body.ticket, body.new_pin, body.confirm_pin)
        except BusyError as exc:
            return refusal(409, "assistant.busy", str(exc))
        return JSONResponse(job.as_json(), status_code=202)

    @app.get("/v1/jobs/{job_id}")
    def job(job_id: str) -> Response:
        found = runner.get(job_id)
        if found is None:
            return refusal(404, "assistant.job_not_found", "未找到该解锁任务，请刷新网页后重试")
        return JSONResponse(found.as_json(), headers={"Cache-Control": "no-store"})

    app.add_middleware(OriginGuard, portal_origin=config.portal_origin, port=config.port)
    return app
