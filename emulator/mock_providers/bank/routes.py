"""BankCard4EVerification: parse, call the bank backend, serialise Result/Description."""

from __future__ import annotations

from typing import Any

from ..state import ProviderState
from ..tencent_actions import TencentAction, TencentRequest


class BankCard4ERequest(TencentRequest):
    Name: str
    BankCard: str
    Phone: str
    IdCard: str
    CertType: int = 0


def bank_card_4e(req: BankCard4ERequest, state: ProviderState,
                 forced: str | None) -> dict[str, Any]:
    verdict = state.bank.verify(name=req.Name, id_number=req.IdCard, card_number=req.BankCard,
                                phone=req.Phone, forced=forced)
    return {"Result": verdict.result, "Description": verdict.description}


ACTIONS = [TencentAction("faceid", "2018-03-01", "BankCard4EVerification", "bank",
                         BankCard4ERequest, bank_card_4e)]
