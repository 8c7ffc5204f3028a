"""Live-mock fixtures plus official Tencent SDK clients pointed at it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from provider_calls import DepositApi
from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.faceid.v20180301 import faceid_client
from tencentcloud.sms.v20210111 import sms_client

from emulator.mock_providers import fixtures as provider_fixtures
from emulator.mock_providers.server import ProviderServer
from szca_unlock.config import ProviderEndpoints

DEFAULTS = ProviderEndpoints()

# The project plugin registers these too; naming them here keeps this suite self-contained.
mock_providers_server = provider_fixtures.mock_providers_server
mock_providers = provider_fixtures.mock_providers
mock_provider_endpoints = provider_fixtures.mock_provider_endpoints


def _profile(server: ProviderServer, timeout: int = 5) -> ClientProfile:
    return ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=server.endpoint,
                                                 reqTimeout=timeout))


def _cred(secret_key: str = DEFAULTS.tencent_secret_key,
          secret_id: str = DEFAULTS.tencent_secret_id) -> credential.Credential:
    return credential.Credential(secret_id, secret_key)


@pytest.fixture
def faceid(mock_providers_server: ProviderServer,
           mock_providers: Any) -> faceid_client.FaceidClient:
    return faceid_client.FaceidClient(_cred(), "", _profile(mock_providers_server))


@pytest.fixture
def sms(mock_providers_server: ProviderServer, mock_providers: Any) -> sms_client.SmsClient:
    return sms_client.SmsClient(_cred(), "ap-guangzhou", _profile(mock_providers_server))


@pytest.fixture
def make_faceid(mock_providers_server: ProviderServer) -> Callable[..., faceid_client.FaceidClient]:
    def make(secret_key: str = DEFAULTS.tencent_secret_key,
             secret_id: str = DEFAULTS.tencent_secret_id, timeout: int = 5
             ) -> faceid_client.FaceidClient:
        return faceid_client.FaceidClient(_cred(secret_key, secret_id), "",
                                          _profile(mock_providers_server, timeout))
    return make


@pytest.fixture
def deposit(mock_providers_server: ProviderServer, mock_providers: Any) -> DepositApi:
    return DepositApi(mock_providers_server.base_url)
