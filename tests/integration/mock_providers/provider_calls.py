"""Calls through the official Tencent SDKs and a signing micro-deposit client (test helpers)."""

from __future__ import annotations

import json
from typing import Any

import httpx
from tencentcloud.faceid.v20180301 import faceid_client
from tencentcloud.faceid.v20180301 import models as faceid_models
from tencentcloud.sms.v20210111 import models as sms_models
from tencentcloud.sms.v20210111 import sms_client

from emulator.mock_providers.deposit.auth import signed_headers
from szca_unlock.config import ProviderEndpoints

DEFAULTS = ProviderEndpoints()


def build(model: type, **params: Any) -> Any:
    request = model()
    request.from_json_string(json.dumps(params))
    return request


def phone_verification(client: faceid_client.FaceidClient, name: str, id_number: str,
                       phone: str, **extra: Any) -> Any:
    return client.PhoneVerification(build(faceid_models.PhoneVerificationRequest, Name=name,
                                          IdCard=id_number, Phone=phone, **extra))


def bank_4e(client: faceid_client.FaceidClient, name: str, id_number: str, card: str,
            phone: str) -> Any:
    return client.BankCard4EVerification(build(faceid_models.BankCard4EVerificationRequest,
                                               Name=name, IdCard=id_number, BankCard=card,
                                               Phone=phone))


def detect_auth(client: faceid_client.FaceidClient, name: str, id_number: str) -> Any:
    return client.DetectAuth(build(faceid_models.DetectAuthRequest, RuleId="1", Name=name,
                                   IdCard=id_number, RedirectUrl="https://ca.example/back"))


def detect_info(client: faceid_client.FaceidClient, biz_token: str) -> Any:
    return client.GetDetectInfoEnhanced(build(faceid_models.GetDetectInfoEnhancedRequest,
                                              BizToken=biz_token, RuleId="1", InfoType="0"))


def send_sms(client: sms_client.SmsClient, mobile: str, template: str = "1000002",
             params: tuple[str, ...] = ("123456", "5")) -> Any:
    return client.SendSms(build(sms_models.SendSmsRequest, PhoneNumberSet=[mobile],
                                SmsSdkAppId=DEFAULTS.sms_sdk_app_id, TemplateId=template,
                                SignName=DEFAULTS.sms_sign_name, TemplateParamSet=list(params)))


class DepositApi:
    """Signs and sends micro-deposit calls the way the product's client must."""

    def __init__(self, base_url: str, key_id: str = DEFAULTS.deposit_key_id,
                 secret: str = DEFAULTS.deposit_secret) -> None:
        self._http = httpx.Client(base_url=base_url, timeout=5)
        self.key_id, self.secret = key_id, secret

    def call(self, method: str, path: str, body: dict[str, Any] | None = None,
             **header_overrides: Any) -> httpx.Response:
        raw = json.dumps(body).encode() if body is not None else b""
        headers = signed_headers(self.key_id, self.secret, method, path, raw, **header_overrides)
        headers["Content-Type"] = "application/json"
        return self._http.request(method, path, content=raw, headers=headers)

    def create(self, account_number: str,
               company: str = "深圳市示例科技有限公司") -> httpx.Response:
        return self.call("POST", "/deposit/v1/verifications",
                         {"company_name": company, "bank_name": "中国工商银行",
                          "branch_name": "深圳福田支行", "account_number": account_number})

    def confirm(self, verification_id: str, code: str) -> httpx.Response:
        return self.call("POST", f"/deposit/v1/verifications/{verification_id}/confirm",
                         {"code": code})

    def get(self, verification_id: str) -> httpx.Response:
        return self.call("GET", f"/deposit/v1/verifications/{verification_id}")
