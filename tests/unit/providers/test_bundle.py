"""The bundle the service injects: built from one ProviderEndpoints, errors are DomainErrors."""

from __future__ import annotations

import pytest
import responses
from provider_stubs import DEPOSIT_BASE, tencent_ok

from szca_unlock.config import ProviderEndpoints
from szca_unlock.domain.errors import DomainError
from szca_unlock.providers import (
    CarrierOutcome,
    ProviderClients,
    ProviderError,
    ProviderUnavailable,
    TransferStatus,
)


def test_bundle_clients_talk_to_the_configured_endpoints(
    rsps: responses.RequestsMock, endpoints: ProviderEndpoints,
) -> None:
    clients = ProviderClients.from_endpoints(endpoints)
    tencent_ok(rsps, "PhoneVerification", Result="0", Description="认证通过", Isp="移动")
    rsps.get(f"{DEPOSIT_BASE}/v1/verifications/dv_1",
             json={"verification_id": "dv_1", "status": "failed", "amount": "0.01",
                   "expires_at": "2030-01-01T00:00:00Z"})
    assert clients.carrier.verify("张三", "110101199003074477", "13800138000").outcome is (
        CarrierOutcome.MATCH)
    assert clients.deposit.status("dv_1").status is TransferStatus.FAILED
    assert [c.request.url for c in rsps.calls] == [
        "http://tencent.test:8401/", f"{DEPOSIT_BASE}/v1/verifications/dv_1"]


def test_bundle_reads_the_environment_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SZCA_PROVIDER_TENCENT_ENDPOINT", "127.0.0.1:1")  # nothing listens
    monkeypatch.setenv("SZCA_PROVIDER_TIMEOUT_S", "0.5")
    clients = ProviderClients.from_endpoints()
    with pytest.raises(ProviderUnavailable) as info:
        clients.carrier.verify("张三", "110101199003074477", "13800138000")
    assert isinstance(info.value, ProviderError) and isinstance(info.value, DomainError)
    assert info.value.code == "provider.carrier.unavailable"
