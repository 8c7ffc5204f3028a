"""BankCard4EVerification through BankCardClient against the live mock: every outcome two ways."""

from __future__ import annotations

import pytest

from emulator.mock_providers.client import ProviderControl
from szca_unlock.providers import (
    BankCardOutcome,
    FaultKind,
    ProviderClients,
    ProviderUnavailable,
)

NAME, ID_NUMBER, MOBILE = "李四", "110101199003074477", "13900139000"
ANY_CARD = "6222990000000001"
BO = BankCardOutcome

# (mock outcome name, magic BankCard from docs/providers.md, expected client outcome)
MAGIC = [("match", "6222990000000001", BO.MATCH), ("mismatch", "6222990000000019", BO.MISMATCH),
         ("mobile_mismatch", "6222990000000993", BO.MOBILE_MISMATCH),
         ("holder_info", "6222990000000068", BO.HOLDER_INFO_INVALID),
         ("no_card_payment", "6222990000000076", BO.NO_CARDLESS_PAYMENT),
         ("card_invalid", "6222990000000092", BO.CARD_INVALID),
         ("card_lost", "6222990000000134", BO.CARD_RESTRICTED),
         ("card_expired", "6222990000000142", BO.CARD_RESTRICTED),
         ("restricted", "6222990000000159", BO.CARD_RESTRICTED),
         ("daily_limit", "6222990000000191", BO.DAILY_LIMIT),
         ("card_abnormal", "6222990000000217", BO.CARD_INVALID),
         ("card_format", "6222990000000002", BO.INVALID_CARD_NUMBER)]  # Luhn digit wrong
FORCED = [*MAGIC, ("invalid_name", None, BO.INVALID_NAME),
          ("invalid_id", None, BO.INVALID_ID_NUMBER), ("invalid_phone", None, BO.INVALID_MOBILE)]


@pytest.mark.parametrize(("name", "card", "outcome"), MAGIC, ids=[m[0] for m in MAGIC])
def test_outcome_by_magic_card(
    clients: ProviderClients, name: str, card: str, outcome: BankCardOutcome,
) -> None:
    got = clients.bank_card.verify(NAME, ID_NUMBER, card, MOBILE)
    assert got.outcome is outcome and got.verified is (outcome is BO.MATCH)
    assert got.message


@pytest.mark.parametrize(("name", "card", "outcome"), FORCED, ids=[m[0] for m in FORCED])
def test_outcome_by_next_outcome(
    clients: ProviderClients, mock_providers: ProviderControl, name: str, card: str | None,
    outcome: BankCardOutcome,
) -> None:
    mock_providers.next_outcome("bank", "BankCard4EVerification", name)
    assert clients.bank_card.verify(NAME, ID_NUMBER, ANY_CARD, MOBILE).outcome is outcome


def test_seeded_card_checks_the_reserved_mobile(
    clients: ProviderClients, mock_providers: ProviderControl,
) -> None:
    card = "6217000010001234569"  # Luhn-valid
    mock_providers.seed({"bank": [{"name": NAME, "id_number": ID_NUMBER, "card_number": card,
                                   "mobile": MOBILE}]})
    assert clients.bank_card.verify(NAME, ID_NUMBER, card, MOBILE).verified
    wrong_mobile = clients.bank_card.verify(NAME, ID_NUMBER, card, "13900139001")
    assert wrong_mobile.outcome is BO.MOBILE_MISMATCH
    assert "预留的手机号码不一致" in wrong_mobile.message


@pytest.mark.parametrize("how", ["magic", "next_outcome"])
def test_service_busy_is_unavailable(
    clients: ProviderClients, mock_providers: ProviderControl, how: str,
) -> None:
    card = "6222990000000183"
    if how == "next_outcome":
        mock_providers.next_outcome("bank", "BankCard4EVerification", "busy")
        card = ANY_CARD
    with pytest.raises(ProviderUnavailable) as info:
        clients.bank_card.verify(NAME, ID_NUMBER, card, MOBILE)
    assert info.value.fault is FaultKind.BUSY and info.value.raw_code == "-18"
    assert info.value.message == "银联校验服务暂时不可用，请稍后重试"
