"""``POST /``: the Tencent Cloud API 3.0 endpoint shared by faceid and sms.

Verifies the TC3 signature, finds the action for the credential's service, validates the
parameters, applies a forced outcome, and wraps the handler's answer in ``{"Response": ...}``.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from . import tc3
from .bank.routes import ACTIONS as BANK
from .carrier.routes import ACTIONS as CARRIER
from .face.routes import ACTIONS as FACE
from .sms.routes import ACTIONS as SMS
from .state import ProviderState
from .tencent_actions import TencentAction
from .tencent_errors import (
    InternalError,
    InvalidAction,
    InvalidParameter,
    MissingParameter,
    NoSuchVersion,
    TencentError,
)

ACTIONS: dict[tuple[str, str], TencentAction] = {(a.service, a.name): a
                                                 for a in (*SMS, *CARRIER, *BANK, *FACE)}
PROVIDER_OF_ACTION: dict[str, str] = {a.name: a.provider for a in ACTIONS.values()}

router = APIRouter(tags=["tencent-cloud-api"])


def envelope(body: dict[str, Any], request_id: str) -> JSONResponse:
    return JSONResponse({"Response": {**body, "RequestId": request_id}})


def render_error(exc: TencentError, request_id: str | None = None) -> JSONResponse:
    return envelope({"Error": {"Code": exc.code, "Message": exc.message}},
                    request_id or str(uuid.uuid4()))


def _params(action: TencentAction, body: bytes) -> Any:
    try:
        raw = json.loads(body or b"{}")
    except ValueError as exc:
        raise InvalidParameter("The request body is not valid JSON.") from exc
    try:
        return action.request_model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(p) for p in first["loc"])
        if first["type"] == "missing":
            raise MissingParameter(
                f"The request is missing a required parameter `{name}`.") from exc
        raise InvalidParameter(f"The value of parameter `{name}` is invalid.") from exc


@router.post("/", summary="Tencent Cloud API 3.0 (faceid 2018-03-01, sms 2021-01-11)",
             description="Actions: PhoneVerification, BankCard4EVerification, DetectAuth, "
                         "GetDetectInfoEnhanced (faceid); SendSms (sms). See docs/providers.md.")
async def tencent_endpoint(request: Request) -> JSONResponse:
    state: ProviderState = request.app.state.providers
    body = await request.body()
    headers = {k.lower(): v for k, v in request.headers.items()}
    signed = tc3.verify(method=request.method, path=request.url.path, query=request.url.query,
                        headers=headers, body=body, credentials=state.credentials.tencent,
                        now=time.time())
    action = ACTIONS.get((signed.service, headers.get("x-tc-action", "")))
    if action is None:
        raise InvalidAction()
    if headers.get("x-tc-version") != action.version:
        raise NoSuchVersion()
    params = _params(action, body)
    forced = state.outcomes.take(action.provider, action.name)
    if forced == "internal_error":
        raise InternalError()
    return envelope(action.handler(params, state, forced), str(uuid.uuid4()))
