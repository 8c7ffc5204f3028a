"""Corporate micro-deposit: HMAC auth, transfer, statement, confirmation, every failure."""

from __future__ import annotations

import pytest

from emulator.mock_providers.client import ControlError

COMPANY = "深圳市示例科技有限公司"
ACCOUNT = "44201501100052512345"


@pytest.fixture
def account(mock_providers):
    mock_providers.seed({"corporate_accounts": [
        {"company_name": COMPANY, "bank_name": "中国建设银行", "branch_name": "深圳分行营业部",
         "account_number": ACCOUNT}]})
    return ACCOUNT


def _remark(mock_providers, account_number, verification_id):
    entries = mock_providers.deposit_statement(account_number)
    return next(e.remark for e in entries if e.verification_id == verification_id)


def test_transfer_statement_confirm_happy_path(deposit, mock_providers, account):
    created = deposit.create(account)
    assert created.status_code == 201
    body = created.json()
    assert (body["status"], body["amount"]) == ("transferred", "0.01")
    assert body["expires_at"].endswith("Z")
    [line] = mock_providers.deposit_statement(account)
    assert (line.amount, line.account_name) == ("0.01", COMPANY)
    assert line.remark.isdigit() and len(line.remark) == 6
    confirmed = deposit.confirm(body["verification_id"], line.remark)
    assert confirmed.status_code == 200
    assert confirmed.json() == {"verification_id": body["verification_id"], "status": "verified"}
    assert deposit.get(body["verification_id"]).json()["status"] == "verified"


def _error(response):
    return response.status_code, response.json()["error"]["code"]


def test_unknown_account_and_name_mismatch(deposit, account):
    assert _error(deposit.create("1234567890")) == (404, "ACCOUNT_NOT_FOUND")
    assert _error(deposit.create(account, company="别的公司")) == (422, "ACCOUNT_NAME_MISMATCH")


def test_wrong_codes_count_down_then_exhaust(deposit, mock_providers, account):
    vid = deposit.create(account).json()["verification_id"]
    remark = _remark(mock_providers, account, vid)
    wrong = f"{(int(remark) + 1) % 10**6:06d}"
    first, second = deposit.confirm(vid, wrong), deposit.confirm(vid, wrong)
    assert _error(first) == (400, "CODE_MISMATCH") and first.json()["error"]["attempts_left"] == 2
    assert second.json()["error"]["attempts_left"] == 1
    assert _error(deposit.confirm(vid, wrong)) == (429, "ATTEMPTS_EXHAUSTED")
    assert _error(deposit.confirm(vid, remark)) == (429, "ATTEMPTS_EXHAUSTED")


def test_code_expires_after_30_minutes(deposit, mock_providers, account):
    vid = deposit.create(account).json()["verification_id"]
    remark = _remark(mock_providers, account, vid)
    mock_providers.advance_clock(30 * 60 + 1)
    assert _error(deposit.confirm(vid, remark)) == (410, "VERIFICATION_EXPIRED")
    assert deposit.get(vid).json()["status"] == "expired"


def test_pending_transfer_until_bank_settles(deposit, mock_providers):
    vid = deposit.create("990000000202").json()["verification_id"]
    assert deposit.get(vid).json()["status"] == "pending"
    assert mock_providers.deposit_statement("990000000202") == []
    assert _error(deposit.confirm(vid, "000000")) == (409, "TRANSFER_PENDING")
    mock_providers.deposit_settle(vid, "transferred")
    remark = _remark(mock_providers, "990000000202", vid)
    assert deposit.confirm(vid, remark).json()["status"] == "verified"


def test_failed_transfer(deposit, mock_providers):
    vid = deposit.create("990000000500").json()["verification_id"]
    assert deposit.get(vid).json()["status"] == "failed"
    assert _error(deposit.confirm(vid, "000000")) == (409, "TRANSFER_FAILED")
    with pytest.raises(ControlError):
        mock_providers.deposit_settle(vid, "transferred")


@pytest.mark.parametrize(("account_number", "expected"), [
    ("990000000000", (201, "transferred")), ("990000000202", (201, "pending")),
    ("990000000500", (201, "failed")), ("990000000404", (404, "ACCOUNT_NOT_FOUND")),
    ("990000000422", (422, "ACCOUNT_NAME_MISMATCH"))])
def test_create_outcomes_by_magic_account(deposit, account_number, expected):
    response = deposit.create(account_number)
    body = response.json()
    assert (response.status_code, body.get("status") or body["error"]["code"]) == expected


@pytest.mark.parametrize(("outcome", "expected"), [
    ("transferred", (201, "transferred")), ("pending", (201, "pending")),
    ("failed", (201, "failed")), ("account_not_found", (404, "ACCOUNT_NOT_FOUND")),
    ("name_mismatch", (422, "ACCOUNT_NAME_MISMATCH"))])
def test_create_outcomes_by_control(deposit, mock_providers, account, outcome, expected):
    mock_providers.next_outcome("deposit", "create_verification", outcome)
    response = deposit.create(account)
    body = response.json()
    assert (response.status_code, body.get("status") or body["error"]["code"]) == expected


@pytest.mark.parametrize(("outcome", "expected"), [
    ("verified", (200, "verified")), ("code_mismatch", (400, "CODE_MISMATCH")),
    ("expired", (410, "VERIFICATION_EXPIRED")),
    ("attempts_exhausted", (429, "ATTEMPTS_EXHAUSTED"))])
def test_confirm_outcomes_by_control(deposit, mock_providers, account, outcome, expected):
    vid = deposit.create(account).json()["verification_id"]
    mock_providers.next_outcome("deposit", "confirm_verification", outcome)
    response = deposit.confirm(vid, "123456")
    body = response.json()
    assert (response.status_code, body.get("status") or body["error"]["code"]) == expected


def test_signature_checks(deposit, account):
    assert _error(deposit.call("POST", "/deposit/v1/verifications", {"x": 1}, timestamp=1)) == (
        401, "SIGNATURE_INVALID")
    replayed = deposit.call("GET", "/deposit/v1/verifications/nope", nonce="fixed-nonce-1234")
    assert _error(replayed) == (404, "VERIFICATION_NOT_FOUND")
    again = deposit.call("GET", "/deposit/v1/verifications/nope", nonce="fixed-nonce-1234")
    assert _error(again) == (401, "SIGNATURE_INVALID")
    deposit.secret = "not-the-secret"
    assert _error(deposit.create(account)) == (401, "SIGNATURE_INVALID")


def test_validation_errors_use_the_deposit_error_shape(deposit):
    response = deposit.call("POST", "/deposit/v1/verifications", {"company_name": "x"})
    assert _error(response) == (422, "VALIDATION_ERROR")
