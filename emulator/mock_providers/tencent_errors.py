"""Tencent Cloud API errors: each sets the real ``code``; one handler renders
``{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`` with HTTP 200, as Tencent does."""

from __future__ import annotations


class TencentError(Exception):
    code = "InternalError"
    message = "内部错误。"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message


class SignatureFailure(TencentError):
    code = "AuthFailure.SignatureFailure"
    message = ("The provided credentials could not be validated. "
               "Please check your signature is correct.")


class SecretIdNotFound(TencentError):
    code = "AuthFailure.SecretIdNotFound"
    message = "The SecretId is not found, please ensure that your SecretId is correct."


class SignatureExpire(TencentError):
    code = "AuthFailure.SignatureExpire"
    message = ("Signature expired. "
               "Timestamp and server time cannot differ by more than five minutes.")


class InvalidAuthorization(TencentError):
    code = "AuthFailure.InvalidAuthorization"
    message = "Authorization header is missing or malformed."


class InvalidAction(TencentError):
    code = "InvalidAction"
    message = "The requested action does not exist."


class NoSuchVersion(TencentError):
    code = "NoSuchVersion"
    message = "The requested version does not exist or is not supported for this service."


class MissingParameter(TencentError):
    code = "MissingParameter"


class InvalidParameter(TencentError):
    code = "InvalidParameter"


class InternalError(TencentError):
    code = "InternalError"
    message = "内部错误。"


class UnsupportedProtocol(TencentError):
    code = "UnsupportedProtocol"
    message = "HTTP(S)请求协议错误，只支持 GET 和 POST 请求。"


class UnsupportedRegion(TencentError):
    code = "UnsupportedRegion"
    message = "接口不支持所传地域。"


class NotFound(TencentError):
    """Nothing is served at this path: Tencent Cloud API 3.0 lives at ``/`` only."""

    code = "InvalidAction"
    message = "The requested path does not exist; Tencent Cloud API 3.0 is served at `/`."
