"""The one table of verification methods: what each step offers, what each method runs."""

from __future__ import annotations

from dataclasses import fields

from szca_unlock.api.verifications import StartVerification
from szca_unlock.domain.verification_methods import (
    DEFAULT_METHOD,
    METHODS,
    STEP_METHODS,
    Check,
    Method,
    Proof,
    Step,
    VerificationRequest,
    method_label,
    methods_of,
)


def test_every_method_runs_one_check_in_every_step_that_offers_it() -> None:
    for method in Method:
        checks = {row.check for row in METHODS if row.method is method}
        assert checks == {method.check}, method


def test_every_step_offers_its_default_and_the_manual_s_labels() -> None:
    for step in Step:
        assert DEFAULT_METHOD[step] in STEP_METHODS[step]
    assert methods_of("enterprise") == ["legal_face", "legal_carrier", "legal_bank", "deposit"]
    assert method_label("identity", "bank") == "银行实名认证"
    assert method_label("operator", "deposit") == "deposit"  # not offered there


def test_each_check_names_its_form_fields_and_its_proof() -> None:
    assert Check.BANK.fields == ("bank_card", "mobile") and Check.BANK.proof is Proof.SMS_CODE
    assert Check.CARRIER.fields == ("mobile",)
    assert Check.FACE.fields == () and Check.FACE.proof is Proof.FACE
    assert Method.DEPOSIT.check.proof is Proof.REMARK_CODE
    assert set(Check.DEPOSIT.fields) == {"bank_name", "branch_name", "account_number"}


def test_the_page_s_drop_down_is_the_table_s_rows() -> None:
    """What the verification page offers (label, hint, fields, SMS button) is read from the
    table, so a new row shows up on the page with nothing else to change."""
    from szca_unlock.service.views.portal import method_choices

    for step in Step:
        shown = method_choices(step)
        rows = [row for row in METHODS if row.step is step]
        assert [c["value"] for c in shown] == [row.method.value for row in rows]
        for choice, row in zip(shown, rows, strict=True):
            assert (choice["label"], choice["hint"]) == (row.label, row.hint)
            assert choice["fields"] == list(row.check.fields)
            assert choice["sms"] is (row.check.proof is Proof.SMS_CODE)
    enterprise = {c["value"]: c for c in method_choices(Step.ENTERPRISE)}
    assert enterprise["deposit"]["hint"].startswith("输入企业对公账户信息")
    assert enterprise["legal_bank"]["fields"] == ["bank_card", "mobile"]
    assert enterprise["legal_bank"]["sms"] and not enterprise["legal_face"]["sms"]


def test_every_form_field_of_a_check_is_part_of_the_request_on_both_sides() -> None:
    """The service's logic reads a ``VerificationRequest`` the router builds from the API's
    ``StartVerification``: a field a check needs must be in both."""
    wanted = {name for check in Check for name in check.fields} | {"method", "name", "id_number"}
    request = {f.name for f in fields(VerificationRequest)}
    assert wanted == request == set(StartVerification.model_fields)
