"""Backends without HTTP: records, faults, forced outcomes, journal masking, deposit rules."""

from __future__ import annotations

import pytest

from emulator.mock_providers.faults import FaultRegistry, FaultSpecError
from emulator.mock_providers.identity import card_ok, id_number_ok, isp_of, normalise_mobile
from emulator.mock_providers.journal import Journal
from emulator.mock_providers.outcomes import UnknownOutcome
from emulator.mock_providers.records import RecordError
from emulator.mock_providers.state import ProviderState

ID = "110101199003077774"


def test_identity_checks():
    assert id_number_ok(ID) and not id_number_ok(ID[:-1] + "5") and not id_number_ok(ID[:-1] + "x")
    assert card_ok("6222020200112233446") and not card_ok("6222020200112233445")
    assert normalise_mobile("+8613800138000") == "13800138000" and normalise_mobile("12800") is None
    assert (isp_of("13800138000"), isp_of("18600000000"), isp_of("19900990000")) == (
        "移动", "联通", "电信")


def test_counted_fault_is_consumed_and_scoped_to_provider_and_action():
    faults = FaultRegistry()
    faults.add("sms", "http_5xx", action="SendSms", count=2)
    assert faults.take("carrier", "PhoneVerification") is None
    assert [faults.take("sms", "SendSms") is not None for _ in range(3)] == [True, True, False]


def test_fault_for_one_mobile_spares_calls_about_others():
    faults = FaultRegistry()
    faults.add("carrier", "http_5xx", action="PhoneVerification", count=1, mobile="13800138000")
    assert faults.take("carrier", "PhoneVerification", "13900139000") is None
    assert faults.take("carrier", "PhoneVerification") is None  # a call naming no mobile
    assert faults.take("carrier", "PhoneVerification", "13800138000") is not None
    assert faults.active() == []


def test_rate_fault_is_reproducible_with_a_seed():
    def pattern() -> list[bool]:
        faults = FaultRegistry()
        faults.add("face", "malformed", rate=0.3, seed=42)
        return [faults.take("face", "DetectAuth") is not None for _ in range(50)]
    first = pattern()
    assert first == pattern() and 5 <= sum(first) <= 25


def test_fault_spec_validation():
    faults = FaultRegistry()
    with pytest.raises(FaultSpecError):
        faults.add("sms", "latency", count=1, rate=0.1)
    with pytest.raises(ValueError):
        faults.add("sms", "melt")


def test_next_outcomes_queue_in_order_and_validate():
    state = ProviderState()
    state.outcomes.push("carrier", "PhoneVerification", "busy")
    state.outcomes.push("carrier", "PhoneVerification", "match")
    assert state.outcomes.take("carrier", "PhoneVerification") == "busy"
    assert state.outcomes.take("carrier", "PhoneVerification") == "match"
    assert state.outcomes.take("carrier", "PhoneVerification") is None
    with pytest.raises(UnknownOutcome):
        state.outcomes.push("deposit", "get_verification", "verified")


def test_seed_rejects_unknown_kinds():
    with pytest.raises(RecordError):
        ProviderState().seed({"carriers": []})


def test_journal_entry_format_masks_pii():
    journal = Journal()
    entry = journal.record(at=0.0, provider="bank", action="BankCard4EVerification",
                           method="POST", path="/", status=200, fault=None,
                           mobile="13800138000", id_number=ID,
                           request={"IdCard": ID, "BankCard": "6222020200112233446",
                                    "Phone": "13800138000"}, response=None)
    text = str(entry)
    for secret in (ID, "6222020200112233446", "13800138000"):
        assert secret not in text
    assert "3446" in text


def test_journal_is_bounded():
    journal = Journal(limit=3)
    for i in range(5):
        journal.record(at=float(i), provider=None, action=None, method="GET", path=f"/{i}",
                       status=404, fault=None, mobile=None, id_number=None, request=None,
                       response=None)
    assert [e.path for e in journal] == ["/2", "/3", "/4"]


def test_deposit_codes_are_six_random_digits_and_single_use_per_verification():
    state = ProviderState()
    state.seed({"corporate_accounts": [{"company_name": "甲公司", "bank_name": "工行",
                                        "branch_name": "福田", "account_number": "1001"}]})
    codes = {state.deposit.create(company_name="甲公司", bank_name="工行", branch_name="福田",
                                  account_number="1001").code for _ in range(20)}
    assert len(codes) > 15 and all(len(c) == 6 and c.isdigit() for c in codes)
