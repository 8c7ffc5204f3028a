import pytest

from szca_unlock.documents.review_reasons import (
    all_reasons,
    get_reason,
    reasons_for,
    validate_rejection,
)
from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.domain.errors import ValidationError


def test_codes_are_unique_and_stable():
    codes = [r.code for r in all_reasons()]
    assert len(codes) == len(set(codes))
    assert get_reason("FORM_NO_SEAL").label == "申请表未加盖单位公章"
    assert get_reason("OTHER").label == "其他"


def test_org_review_offers_form_reasons_not_id_scan_reasons():
    labels = [r.label for r in reasons_for(CertificateKind.ORG)]
    assert "申请表未签名或未填写日期" in labels
    assert "手持身份证照片不清晰" not in labels
    assert labels[-1] == "其他"


def test_org_personal_review_offers_sealed_id_scan_reason():
    labels = [r.label for r in reasons_for(CertificateKind.ORG_PERSONAL)]
    assert "身份证扫描件未加盖单位公章" in labels
    assert "工作证信息不清晰" in labels
    assert "营业执照复印件不清晰" not in labels


def test_natural_person_review_has_no_seal_reason():
    labels = [r.label for r in reasons_for(CertificateKind.NATURAL)]
    assert "身份证扫描件未加盖单位公章" not in labels
    assert "身份证扫描件不清晰/不完整" in labels


def test_rejection_needs_a_reason():
    with pytest.raises(ValidationError) as info:
        validate_rejection([], "看不清")
    assert info.value.message == "请选择驳回原因"


def test_other_needs_free_text():
    with pytest.raises(ValidationError) as info:
        validate_rejection(["OTHER"], "  ")
    assert "其他" in info.value.message
    assert [r.code for r in validate_rejection(["OTHER"], "公章模糊")] == ["OTHER"]


def test_unknown_code_refused_and_duplicates_collapsed():
    with pytest.raises(ValidationError):
        validate_rejection(["NO_SUCH"], None)
    chosen = validate_rejection(["INFO_MISMATCH", "FORM_NO_SEAL", "FORM_NO_SEAL"], None)
    assert [r.code for r in chosen] == ["FORM_NO_SEAL", "INFO_MISMATCH"]


def test_every_reason_tells_the_applicant_what_to_do():
    assert all(r.hint for r in all_reasons())
