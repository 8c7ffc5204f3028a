"""One choke point for calls through the official Tencent Cloud SDKs.

Every way a call can fail ends here as a ``ProviderError``: the SDK's own
``TencentCloudSDKException`` (API errors with Tencent's codes, ``ClientNetworkError``,
``ServerNetworkError``) and the Python errors the generated client methods wrap into it
(``JSONDecodeError``, ``KeyError`` ... for a malformed body).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any, TypeVar

import requests
from tencentcloud.common.abstract_client import AbstractClient
from tencentcloud.common.credential import Credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

from szca_unlock.config import ProviderEndpoints
from szca_unlock.logsetup import MaskingFilter, get_logger
from szca_unlock.providers._retry import NO_RETRY, RetryPolicy
from szca_unlock.providers.errors import (
    FaultKind,
    Provider,
    ProviderError,
    ProviderRejected,
    ProviderUnavailable,
)

ClientT = TypeVar("ClientT", bound=AbstractClient)
OutcomeT = TypeVar("OutcomeT")

_log = get_logger("providers.tencent")
_SDK_LOGGER = "tencentcloud_sdk_common"


def _quiet_sdk_logger() -> None:
    """The SDK logs whole request bodies (names, ID numbers, mobiles) at DEBUG: never let it."""
    sdk = logging.getLogger(_SDK_LOGGER)
    if sdk.level < logging.INFO:
        sdk.setLevel(logging.INFO)
    if not any(isinstance(f, MaskingFilter) for f in sdk.filters):
        sdk.addFilter(MaskingFilter())


_quiet_sdk_logger()

# Tencent Cloud API 3.0 common error codes that mean "busy / broken on their side".
_BUSY_CODES = ("InternalError", "ServiceUnavailable", "ResourceUnavailable", "RequestLimitExceeded")
# Python exceptions wrapped by the generated SDK methods (code = the exception's class name).
_MALFORMED_NAMES = frozenset(
    {"JSONDecodeError", "KeyError", "TypeError", "ValueError", "AttributeError",
     "UnicodeDecodeError", "IndexError"}
)
_CONNECTION_NAMES = frozenset(
    {"ChunkedEncodingError", "ConnectionError", "ProtocolError", "ContentDecodingError",
     "IncompleteRead", "RemoteDisconnected", "ConnectionResetError"}
)
_TIMEOUT_NAMES = frozenset({"ReadTimeout", "ConnectTimeout", "Timeout", "TimeoutError"})
# First segments of Tencent Cloud API 3.0 error codes (anything else came from the SDK side).
_TENCENT_CATEGORIES = frozenset(
    {"AuthFailure", "DryRunOperation", "FailedOperation", "InvalidAction", "InvalidParameter",
     "InvalidParameterValue", "InvalidRequest", "LimitExceeded", "MissingParameter",
     "NoSuchProduct", "NoSuchVersion", "OperationDenied", "RequestSizeLimitExceeded",
     "ResourceInUse", "ResourceInsufficient", "ResourceNotFound", "ResponseSizeLimitExceeded",
     "UnauthorizedOperation", "UnknownParameter", "UnsupportedOperation", "UnsupportedProtocol",
     "UnsupportedRegion", *_BUSY_CODES}
)


def make_client(cls: type[ClientT], endpoints: ProviderEndpoints) -> ClientT:
    """An official SDK client pointed at ``endpoints`` with the configured timeout."""
    http = HttpProfile(
        protocol=endpoints.tencent_protocol,
        endpoint=endpoints.tencent_endpoint,
        reqTimeout=endpoints.timeout_s,  # passed to requests as its timeout; floats work
    )
    credential = Credential(endpoints.tencent_secret_id, endpoints.tencent_secret_key)
    # Region is required by the constructor but ignored by faceid; sms uses it.
    client: ClientT = cls(credential, "ap-guangzhou", ClientProfile(httpProfile=http))
    return client


def classify(
    exc: TencentCloudSDKException | requests.RequestException,
    provider: Provider,
    http_status: int | None,
) -> ProviderError:
    """Turn any failure of an SDK call into the matching ``ProviderError``."""
    if isinstance(exc, requests.RequestException):
        code, message, request_id = type(exc).__name__, str(exc), None
    else:
        code, message, request_id = str(exc.code or ""), str(exc.message or ""), exc.requestId
    fault = _fault_of(code, message, http_status)
    detail = f"{code}: {message}"[:300]
    if fault is not None:
        return ProviderUnavailable(
            provider, fault, raw_code=code, http_status=http_status, request_id=request_id,
            detail=detail,
        )
    return ProviderRejected(
        provider, raw_code=code, http_status=http_status, request_id=request_id, detail=detail
    )


def _fault_of(code: str, message: str, http_status: int | None) -> FaultKind | None:
    """The fault kind, or None when Tencent answered with a definite refusal."""
    if code == "ClientNetworkError":
        return FaultKind.TIMEOUT if "timed out" in message.lower() else FaultKind.CONNECTION
    if code == "ServerNetworkError":
        return FaultKind.HTTP_5XX if http_status is None or http_status >= 500 else (
            FaultKind.MALFORMED
        )
    if code.split(".")[0] in _BUSY_CODES:
        return FaultKind.BUSY
    if code in _TIMEOUT_NAMES:
        return FaultKind.TIMEOUT
    if code in _CONNECTION_NAMES:
        return FaultKind.CONNECTION
    if code in _MALFORMED_NAMES or code.split(".")[0] not in _TENCENT_CATEGORIES:
        return FaultKind.MALFORMED
    return None


class TencentCaller:
    """Calls actions of one SDK client, classifying failures and recording the HTTP status."""

    def __init__(self, client: AbstractClient, provider: Provider) -> None:
        self._client = client
        self._provider = provider
        self._last = threading.local()
        session = getattr(getattr(client.request, "conn", None), "_session", None)
        if isinstance(session, requests.Session):
            # The SDK drops the HTTP status of a non-200 answer; a hook keeps it for the error.
            session.hooks["response"].append(self._remember_status)

    @property
    def provider(self) -> Provider:
        return self._provider

    def _remember_status(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self._last.status = response.status_code

    def invoke(self, action: str, request: Any, *, retry: RetryPolicy = NO_RETRY) -> Any:
        """Call ``client.<action>(request)``; safe reads may pass a ``retry`` policy."""
        return retry.run(lambda: self._invoke_once(action, request), what=action)

    def _invoke_once(self, action: str, request: Any) -> Any:
        self._last.status = None
        try:
            response = getattr(self._client, action)(request)
        except (TencentCloudSDKException, requests.RequestException) as exc:
            error = classify(exc, self._provider, self._last.status)
            _log.warning("%s %s failed: %s %s", self._provider, action, type(error).__name__,
                         error.detail)
            raise error from exc
        _log.info("%s %s ok request_id=%s", self._provider, action,
                  getattr(response, "RequestId", None))
        return response

    def malformed(self, action: str, response: Any, why: str) -> ProviderUnavailable:
        """A 200 answer whose content makes no sense (missing or unknown result fields)."""
        return ProviderUnavailable(
            self._provider, FaultKind.MALFORMED, http_status=200,
            request_id=getattr(response, "RequestId", None), detail=f"{action}: {why}",
        )

    def result_outcome(
        self, action: str, response: Any, outcomes: Mapping[str, OutcomeT], *, busy: str,
    ) -> tuple[str, OutcomeT]:
        """Tencent's ``Result`` of a FaceID verification answer and its outcome in ``outcomes``.

        ``busy`` is the action's 验证中心服务繁忙 code: a fault, not an outcome, so it raises
        ``ProviderUnavailable``; a code missing from ``outcomes`` is a malformed answer.
        """
        raw = str(response.Result) if response.Result is not None else ""
        if raw == busy:
            raise ProviderUnavailable(
                self._provider, FaultKind.BUSY, raw_code=raw, http_status=200,
                request_id=response.RequestId, detail=response.Description or "",
            )
        outcome = outcomes.get(raw)
        if outcome is None:
            raise self.malformed(action, response, f"unknown Result {raw!r}")
        return raw, outcome
