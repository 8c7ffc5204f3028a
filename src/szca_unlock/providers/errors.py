"""Errors of the identity-provider clients: one root, each keeping the provider's raw code.

``ProviderUnavailable`` means "the provider could not answer" (timeout, reset, 5xx, malformed
body, busy): the user may retry later and nothing was verified. ``ProviderRejected`` means the
provider refused *our* request (bad signature, bad parameter): a configuration fault the user
cannot fix, so the message points to customer service (CS-1).
"""

from __future__ import annotations

from enum import StrEnum

from szca_unlock.domain.errors import DomainError
from szca_unlock.logsetup import mask_value


class Provider(StrEnum):
    """The five outside services; the value is used in error codes (``provider.<value>.*``)."""

    SMS = "sms"
    CARRIER = "carrier"
    BANK_CARD = "bank_card"
    FACE = "face"
    DEPOSIT = "deposit"


class FaultKind(StrEnum):
    """Why a provider could not answer."""

    TIMEOUT = "timeout"
    CONNECTION = "connection"
    HTTP_5XX = "http_5xx"
    MALFORMED = "malformed"
    BUSY = "busy"  # the provider answered, but said it is busy / had an internal error


_SERVICE_NAMES: dict[Provider, str] = {
    Provider.SMS: "短信服务",
    Provider.CARRIER: "运营商校验服务",
    Provider.BANK_CARD: "银联校验服务",
    Provider.FACE: "人脸核身服务",
    Provider.DEPOSIT: "企业对公打款服务",
}

CUSTOMER_SERVICE = "客服热线 400-112-3838"


def service_name(provider: Provider) -> str:
    """The Chinese name of the service, as shown to the user."""
    return _SERVICE_NAMES[provider]


class ProviderError(DomainError):
    """Root of every provider error.

    ``raw_code`` is the provider's own code (Tencent ``Error.Code`` or ``Result``, the deposit
    API's ``error.code``), ``http_status`` the HTTP status when one was received,
    ``request_id`` the provider's request id (for support tickets), ``detail`` a masked
    technical note for logs only. (``status``, on the class, is the service's own answer.)
    """

    def __init__(
        self,
        provider: Provider,
        code: str,
        message: str,
        *,
        raw_code: str | None = None,
        http_status: int | None = None,
        request_id: str | None = None,
        detail: str = "",
        field: str | None = None,
    ) -> None:
        super().__init__(code, message, field)
        self.provider = provider
        self.raw_code = raw_code
        self.http_status = http_status
        self.request_id = request_id
        self.detail = mask_value(detail)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, raw_code={self.raw_code!r}, "
            f"http_status={self.http_status!r})"
        )


class ProviderUnavailable(ProviderError):
    """The provider could not answer; retry later. Nothing was verified."""

    status = 503

    def __init__(
        self,
        provider: Provider,
        fault: FaultKind,
        *,
        raw_code: str | None = None,
        http_status: int | None = None,
        request_id: str | None = None,
        detail: str = "",
    ) -> None:
        super().__init__(
            provider,
            f"provider.{provider.value}.unavailable",
            f"{service_name(provider)}暂时不可用，请稍后重试",
            raw_code=raw_code,
            http_status=http_status,
            request_id=request_id,
            detail=detail,
        )
        self.fault = fault


class ProviderRejected(ProviderError):
    """The provider refused the request itself (signature, credentials, parameters)."""

    status = 502

    def __init__(
        self,
        provider: Provider,
        *,
        raw_code: str | None = None,
        http_status: int | None = None,
        request_id: str | None = None,
        detail: str = "",
    ) -> None:
        super().__init__(
            provider,
            f"provider.{provider.value}.rejected",
            f"{service_name(provider)}调用异常，请稍后重试或联系{CUSTOMER_SERVICE}",
            raw_code=raw_code,
            http_status=http_status,
            request_id=request_id,
            detail=detail,
        )
