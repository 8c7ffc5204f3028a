"""PhoneVerification through CarrierClient against the live mock: every outcome two ways."""

from __future__ import annotations

import pytest

from emulator.mock_providers.client import ProviderControl
from szca_unlock.providers import (
    CarrierOutcome,
    FaultKind,
    ProviderClients,
    ProviderUnavailable,
)

NAME, ID_NUMBER = "张三", "110101199003074477"
ANY_MOBILE = "13800138000"
CO = CarrierOutcome

# (mock outcome name, magic Phone from docs/providers.md, expected client outcome)
MAGIC = [("match", "19900990000", CO.MATCH), ("mismatch", "19900990004", CO.MISMATCH),
         ("no_record", "19900990009", CO.NO_RECORD), ("daily_limit", "19900990012", CO.DAILY_LIMIT),
         ("unsupported_segment", "19900990013", CO.UNSUPPORTED_NUMBER)]
FORCED = [*MAGIC, ("invalid_number", None, CO.INVALID_MOBILE),
          ("invalid_id", None, CO.INVALID_ID_NUMBER), ("invalid_name", None, CO.INVALID_NAME)]


@pytest.mark.parametrize(("name", "mobile", "outcome"), MAGIC, ids=[m[0] for m in MAGIC])
def test_outcome_by_magic_mobile(
    clients: ProviderClients, mock_providers: ProviderControl, name: str, mobile: str,
    outcome: CarrierOutcome,
) -> None:
    got = clients.carrier.verify(NAME, ID_NUMBER, mobile)
    assert got.outcome is outcome and got.verified is (outcome is CO.MATCH)
    [entry] = mock_providers.journal(provider="carrier", action="PhoneVerification")
    assert entry.mobile == mobile and entry.fault is None  # one call, answered by the input


@pytest.mark.parametrize(("name", "mobile", "outcome"), FORCED, ids=[m[0] for m in FORCED])
def test_outcome_by_next_outcome(
    clients: ProviderClients, mock_providers: ProviderControl, name: str, mobile: str | None,
    outcome: CarrierOutcome,
) -> None:
    mock_providers.next_outcome("carrier", "PhoneVerification", name)
    assert clients.carrier.verify(NAME, ID_NUMBER, ANY_MOBILE).outcome is outcome


@pytest.mark.parametrize(
    ("name", "id_number", "mobile", "outcome"),
    [("张三", ID_NUMBER, "12345", CO.INVALID_MOBILE),
     ("张三", "110101199003074478", ANY_MOBILE, CO.INVALID_ID_NUMBER),  # wrong check digit
     ("张3", ID_NUMBER, ANY_MOBILE, CO.INVALID_NAME)],
    ids=["invalid_number", "invalid_id", "invalid_name"],
)
def test_invalid_inputs_by_their_own_shape(
    clients: ProviderClients, name: str, id_number: str, mobile: str, outcome: CarrierOutcome,
) -> None:
    assert clients.carrier.verify(name, id_number, mobile).outcome is outcome


def test_seeded_record_decides_match_and_faq1_mismatch(
    clients: ProviderClients, mock_providers: ProviderControl,
) -> None:
    mock_providers.seed({"carrier": [{"name": NAME, "id_number": ID_NUMBER,
                                      "mobile": "13800138000"}]})
    match = clients.carrier.verify(NAME, ID_NUMBER, "13800138000")
    assert match.outcome is CO.MATCH and match.isp == "移动"
    mismatch = clients.carrier.verify("李四", ID_NUMBER, "13800138000")
    assert mismatch.mismatch_from_carrier and mismatch.raw_code == "-4"
    assert "中国移动APP" in mismatch.message and "先联系中国移动" in mismatch.message


@pytest.mark.parametrize("how", ["magic", "next_outcome"])
def test_service_busy_is_unavailable(
    clients: ProviderClients, mock_providers: ProviderControl, how: str,
) -> None:
    mobile = "19900990011"
    if how == "next_outcome":
        mock_providers.next_outcome("carrier", "PhoneVerification", "busy")
        mobile = ANY_MOBILE
    with pytest.raises(ProviderUnavailable) as info:
        clients.carrier.verify(NAME, ID_NUMBER, mobile)
    assert info.value.fault is FaultKind.BUSY and info.value.raw_code == "-11"
    assert info.value.message == "运营商校验服务暂时不可用，请稍后重试"


def test_internal_error_is_unavailable(
    clients: ProviderClients, mock_providers: ProviderControl,
) -> None:
    mock_providers.next_outcome("carrier", "PhoneVerification", "internal_error")
    with pytest.raises(ProviderUnavailable) as info:
        clients.carrier.verify(NAME, ID_NUMBER, ANY_MOBILE)
    assert info.value.raw_code == "InternalError" and info.value.request_id
