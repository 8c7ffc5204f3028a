"""Wrong credentials reach the mock and come back as the providers' real refusal codes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from szca_unlock.config import ProviderEndpoints
from szca_unlock.providers import ProviderClients, ProviderRejected, SmsTemplate


@pytest.mark.parametrize(
    ("change", "code"),
    [({"tencent_secret_key": "wrongKey0000000000000000000000000"}, "AuthFailure.SignatureFailure"),
     ({"tencent_secret_id": "AKIDwrong000000000000000000000000000"},
      "AuthFailure.SecretIdNotFound")],
)
def test_wrong_tencent_credentials_are_rejected(
    endpoints: ProviderEndpoints, change: dict[str, str], code: str,
) -> None:
    clients = ProviderClients.from_endpoints(replace(endpoints, **change))
    with pytest.raises(ProviderRejected) as info:
        clients.carrier.verify("张三", "110101199003074477", "19900990000")
    assert info.value.raw_code == code
    with pytest.raises(ProviderRejected) as info:
        clients.sms.send("19900980000", SmsTemplate.LOGIN_CODE, ["123456", "5"])
    assert info.value.raw_code == code
    assert "400-112-3838" in info.value.message


def test_wrong_sms_app_id_is_rejected(endpoints: ProviderEndpoints) -> None:
    clients = ProviderClients.from_endpoints(replace(endpoints, sms_sdk_app_id="1400999999"))
    with pytest.raises(ProviderRejected) as info:
        clients.sms.send("19900980000", SmsTemplate.LOGIN_CODE, ["123456", "5"])
    assert info.value.raw_code == "UnauthorizedOperation.SmsSdkAppIdVerifyFail"


def test_wrong_deposit_secret_is_rejected(endpoints: ProviderEndpoints) -> None:
    clients = ProviderClients.from_endpoints(replace(endpoints, deposit_secret="not-the-secret"))
    with pytest.raises(ProviderRejected) as info:
        clients.deposit.initiate("深圳测试公司", "招商银行", "深圳分行", "990000000000")
    assert info.value.raw_code == "SIGNATURE_INVALID" and info.value.http_status == 401
