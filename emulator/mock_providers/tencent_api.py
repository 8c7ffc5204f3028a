"""``GET /`` and ``POST /``: the Tencent Cloud API 3.0 endpoint shared by faceid and sms.

Reads the call however an official SDK sent it (TC3 or signature v1, GET or POST), verifies
the signature, finds the service (host, credential scope or action) and the action, checks the
version and region, validates the parameters, applies a forced outcome, and wraps the
handler's answer in ``{"Response": ...}``.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from . import sign_v1, tc3
from .bank.routes import ACTIONS as BANK
from .carrier.routes import ACTIONS as CARRIER
from .face.routes import ACTIONS as FACE
from .sms.routes import ACTIONS as SMS
from .state import ProviderState, state_of
from .tencent_actions import TencentAction
from .tencent_errors import (
    InternalError,
    InvalidAction,
    InvalidParameter,
    MissingParameter,
    NoSuchVersion,
    SignatureFailure,
    TencentError,
    UnsupportedProtocol,
    UnsupportedRegion,
)
from .tencent_request import TencentCall, read_call

ACTIONS: dict[tuple[str, str], TencentAction] = {(a.service, a.name): a
                                                 for a in (*SMS, *CARRIER, *BANK, *FACE)}
PROVIDER_OF_ACTION: dict[str, str] = {a.name: a.provider for a in ACTIONS.values()}

router = APIRouter(tags=["tencent-cloud-api"])


def envelope(body: dict[str, Any], request_id: str) -> JSONResponse:
    return JSONResponse({"Response": {**body, "RequestId": request_id}})


def render_error(exc: TencentError, request_id: str | None = None) -> JSONResponse:
    return envelope({"Error": {"Code": exc.code, "Message": exc.message}},
                    request_id or str(uuid.uuid4()))


SERVICES = frozenset(a.service for a in ACTIONS.values())
SERVICE_OF_ACTION: dict[str, str] = {a.name: a.service for a in ACTIONS.values()}
# SMS requires Region and serves these three (https://cloud.tencent.com/document/api/382/52071)
SMS_REGIONS = frozenset({"ap-guangzhou", "ap-beijing", "ap-nanjing"})


def _params(action: TencentAction, raw: dict[str, Any]) -> Any:
    try:
        return action.request_model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(p) for p in first["loc"])
        if first["type"] == "missing":
            raise MissingParameter(
                f"The request is missing a required parameter `{name}`.") from exc
        raise InvalidParameter(f"The value of parameter `{name}` is invalid.") from exc


def _service(host: str, signed_service: str, action: str) -> str:
    """The service a call is for: the host's first label on a service domain (what the real
    gateway routes by), else the TC3 credential scope, else the one service with that action
    (a bare IP or ``localhost``: the Node SDK then signs with scope ``127``/``localhost``)."""
    label = host.split(".", 1)[0].lower() if "." in host else ""
    if label in SERVICES:
        if signed_service and signed_service != label:
            raise SignatureFailure()
        return label
    if signed_service in SERVICES:
        return signed_service
    return SERVICE_OF_ACTION.get(action, "")


def authenticate(request: Request, call: TencentCall, body: bytes,
                 state: ProviderState) -> str:
    """Verify the signature the call carries; the service it is for."""
    headers = {k.lower(): v for k, v in request.headers.items()}
    query = request.scope.get("query_string", b"").decode("latin-1")
    if call.protocol == "tc3":
        signed = tc3.verify(method=request.method, path=request.url.path, query=query,
                            headers=headers, body=body, credentials=state.credentials.tencent,
                            now=time.time())
    else:
        signed = sign_v1.verify(method=request.method, path=request.url.path,
                                host=headers.get("host", ""), pairs=call.raw_pairs,
                                credentials=state.credentials.tencent, now=time.time())
    return _service(headers.get("host", ""), signed.service, call.action)


_SUMMARY = "Tencent Cloud API 3.0 (faceid 2018-03-01, sms 2021-01-11)"
_DESCRIPTION = ("Actions: PhoneVerification, BankCard4EVerification, DetectAuth, "
                "GetDetectInfoEnhanced (faceid); SendSms (sms). TC3-HMAC-SHA256 (POST JSON or "
                "GET) and signature v1 (HmacSHA1/HmacSHA256, GET or POST form). "
                "See docs/providers.md.")


@router.post("/", summary=_SUMMARY, description=_DESCRIPTION, operation_id="tencent_api_post")
@router.get("/", summary=_SUMMARY, description=_DESCRIPTION, operation_id="tencent_api_get")
async def tencent_endpoint(request: Request) -> JSONResponse:
    state = state_of(request)
    body = await request.body()
    headers = {k.lower(): v for k, v in request.headers.items()}
    call = read_call(request.method, headers,
                     request.scope.get("query_string", b"").decode("latin-1"), body)
    service = authenticate(request, call, body, state)
    action = ACTIONS.get((service, call.action))
    if action is None:
        raise InvalidAction()
    if call.version != action.version:
        raise NoSuchVersion()
    if service == "sms" and call.region not in SMS_REGIONS:
        if not call.region:
            raise MissingParameter("The request is missing a required parameter `Region`.")
        raise UnsupportedRegion()
    params = _params(action, call.params)
    forced = state.outcomes.take(action.provider, action.name)
    if forced == "internal_error":
        raise InternalError()
    return envelope(action.handler(params, state, forced), str(uuid.uuid4()))


@router.api_route("/", methods=["PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"],
                  include_in_schema=False)
async def unsupported_method(_: Request) -> JSONResponse:
    raise UnsupportedProtocol()
