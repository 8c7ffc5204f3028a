"""Corporate micro-deposit through DepositClient against the live mock (ORG-RT-8d)."""

from __future__ import annotations

import pytest

from emulator.mock_providers.client import ProviderControl
from szca_unlock.providers import (
    DepositErrorCode,
    DepositRejected,
    ProviderClients,
    TransferStatus,
)

COMPANY, BANK, BRANCH = "深圳市测试科技有限公司", "招商银行", "深圳分行营业部"
TRANSFERRED, PENDING, FAILED = "990000000000", "990000000202", "990000000500"
DE = DepositErrorCode


def _remark(control: ProviderControl, account: str, verification_id: str) -> str:
    """What finance reads off the bank statement."""
    [entry] = [e for e in control.deposit_statement(account)
               if e.verification_id == verification_id]
    assert entry.amount == "0.01"
    return entry.remark


def test_transfer_remark_read_by_finance_confirms_the_account(
    clients: ProviderClients, mock_providers: ProviderControl,
) -> None:
    transfer = clients.deposit.initiate(COMPANY, BANK, BRANCH, TRANSFERRED)
    assert transfer.code_available and str(transfer.amount) == "0.01"
    code = _remark(mock_providers, TRANSFERRED, transfer.verification_id)
    assert len(code) == 6 and code.isdigit()
    assert clients.deposit.confirm(transfer.verification_id, code).verified
    assert clients.deposit.status(transfer.verification_id).status is TransferStatus.VERIFIED


def test_pending_transfer_cannot_be_confirmed_until_settled(
    clients: ProviderClients, mock_providers: ProviderControl,
) -> None:
    transfer = clients.deposit.initiate(COMPANY, BANK, BRANCH, PENDING)
    assert transfer.status is TransferStatus.PENDING
    assert mock_providers.deposit_statement(PENDING) == []
    with pytest.raises(DepositRejected) as info:
        clients.deposit.confirm(transfer.verification_id, "000000")
    assert info.value.reason is DE.TRANSFER_PENDING
    mock_providers.deposit_settle(transfer.verification_id, "transferred")
    assert clients.deposit.status(transfer.verification_id).code_available
    code = _remark(mock_providers, PENDING, transfer.verification_id)
    assert clients.deposit.confirm(transfer.verification_id, code).verified


@pytest.mark.parametrize("how", ["magic", "settle"])
def test_failed_transfer_is_reported(
    clients: ProviderClients, mock_providers: ProviderControl, how: str,
) -> None:
    account = FAILED if how == "magic" else PENDING
    transfer = clients.deposit.initiate(COMPANY, BANK, BRANCH, account)
    if how == "settle":
        mock_providers.deposit_settle(transfer.verification_id, "failed")
    assert clients.deposit.status(transfer.verification_id).status is TransferStatus.FAILED
    with pytest.raises(DepositRejected) as info:
        clients.deposit.confirm(transfer.verification_id, "000000")
    assert info.value.reason is DE.TRANSFER_FAILED and "打款失败" in info.value.message


@pytest.mark.parametrize(
    ("name", "account", "reason"),
    [("account_not_found", "990000000404", DE.ACCOUNT_NOT_FOUND),
     ("name_mismatch", "990000000422", DE.ACCOUNT_NAME_MISMATCH)],
)
@pytest.mark.parametrize("how", ["magic", "next_outcome"])
def test_account_refusals(
    clients: ProviderClients, mock_providers: ProviderControl, how: str, name: str,
    account: str, reason: DepositErrorCode,
) -> None:
    if how == "next_outcome":
        mock_providers.next_outcome("deposit", "create_verification", name)
        account = TRANSFERRED
    with pytest.raises(DepositRejected) as info:
        clients.deposit.initiate(COMPANY, BANK, BRANCH, account)
    assert info.value.reason is reason and info.value.field == "account_number"
    assert mock_providers.deposit_statement(account) == []  # no money moved


def test_seeded_account_must_be_held_by_the_company(
    clients: ProviderClients, mock_providers: ProviderControl,
) -> None:
    mock_providers.seed({"corporate_accounts": [
        {"company_name": COMPANY, "bank_name": BANK, "branch_name": BRANCH,
         "account_number": "755900001111"}]})
    with pytest.raises(DepositRejected) as info:
        clients.deposit.initiate("深圳市别的公司", BANK, BRANCH, "755900001111")
    assert info.value.reason is DE.ACCOUNT_NAME_MISMATCH
    with pytest.raises(DepositRejected) as info:
        clients.deposit.initiate(COMPANY, BANK, BRANCH, "755900002222")
    assert info.value.reason is DE.ACCOUNT_NOT_FOUND
    assert clients.deposit.initiate(COMPANY, BANK, BRANCH, "755900001111").code_available


def test_three_wrong_codes_exhaust_the_attempts(
    clients: ProviderClients, mock_providers: ProviderControl,
) -> None:
    transfer = clients.deposit.initiate(COMPANY, BANK, BRANCH, TRANSFERRED)
    code = _remark(mock_providers, TRANSFERRED, transfer.verification_id)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    left = []
    for _ in range(2):
        with pytest.raises(DepositRejected) as info:
            clients.deposit.confirm(transfer.verification_id, wrong)
        assert info.value.reason is DE.CODE_MISMATCH
        left.append(info.value.attempts_left)
    assert left == [2, 1]
    with pytest.raises(DepositRejected) as info:
        clients.deposit.confirm(transfer.verification_id, wrong)
    assert info.value.reason is DE.ATTEMPTS_EXHAUSTED
    with pytest.raises(DepositRejected) as info:  # even the right code is refused now
        clients.deposit.confirm(transfer.verification_id, code)
    assert info.value.reason is DE.ATTEMPTS_EXHAUSTED


def test_code_expires_after_30_minutes(
    clients: ProviderClients, mock_providers: ProviderControl,
) -> None:
    transfer = clients.deposit.initiate(COMPANY, BANK, BRANCH, TRANSFERRED)
    code = _remark(mock_providers, TRANSFERRED, transfer.verification_id)
    mock_providers.advance_clock(30 * 60 + 1)
    with pytest.raises(DepositRejected) as info:
        clients.deposit.confirm(transfer.verification_id, code)
    assert info.value.reason is DE.VERIFICATION_EXPIRED and "30分钟" in info.value.message


@pytest.mark.parametrize(
    ("name", "reason"),
    [("code_mismatch", DE.CODE_MISMATCH), ("expired", DE.VERIFICATION_EXPIRED),
     ("attempts_exhausted", DE.ATTEMPTS_EXHAUSTED)],
)
def test_confirm_refusals_by_next_outcome(
    clients: ProviderClients, mock_providers: ProviderControl, name: str,
    reason: DepositErrorCode,
) -> None:
    transfer = clients.deposit.initiate(COMPANY, BANK, BRANCH, TRANSFERRED)
    code = _remark(mock_providers, TRANSFERRED, transfer.verification_id)
    mock_providers.next_outcome("deposit", "confirm_verification", name)
    with pytest.raises(DepositRejected) as info:
        clients.deposit.confirm(transfer.verification_id, code)  # right code, forced refusal
    assert info.value.reason is reason


def test_forced_verified_confirms_any_code(
    clients: ProviderClients, mock_providers: ProviderControl,
) -> None:
    transfer = clients.deposit.initiate(COMPANY, BANK, BRANCH, TRANSFERRED)
    mock_providers.next_outcome("deposit", "confirm_verification", "verified")
    assert clients.deposit.confirm(transfer.verification_id, "000000").verified


def test_unknown_verification_is_not_found(clients: ProviderClients) -> None:
    with pytest.raises(DepositRejected) as info:
        clients.deposit.status("dv_does_not_exist")
    assert info.value.reason is DE.VERIFICATION_NOT_FOUND
