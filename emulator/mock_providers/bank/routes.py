"""BankCard4EVerification: parse, call the bank backend, serialise Result/Description."""

from __future__ import annotations

from typing import Any

from ..encryption import EncryptionIn, refuse_encrypted_input
from ..state import ProviderState
from ..tencent_actions import TencentAction, TencentRequest


class BankCard4ERequest(TencentRequest):
    Name: str
    BankCard: str
    Phone: str
    IdCard: str
    CertType: int = 0
    Encryption: EncryptionIn | None = None


def bank_card_4e(req: BankCard4ERequest, state: ProviderState,
                 forced: str | None) -> dict[str, Any]:
    if req.Encryption is not None:
        refuse_encrypted_input(req.Encryption.EncryptList, req.Encryption.CiphertextBlob,
                               ("Name", "BankCard", "Phone", "IdCard"))
    verdict = state.bank.verify(name=req.Name, id_number=req.IdCard, card_number=req.BankCard,
                                phone=req.Phone, cert_type=req.CertType, forced=forced)
    return {"Result": verdict.result, "Description": verdict.description}


ACTIONS = [TencentAction("faceid", "2018-03-01", "BankCard4EVerification", "bank",
                         BankCard4ERequest, bank_card_4e)]
