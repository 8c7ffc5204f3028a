"""Which documents each certificate needs, and the file names old browsers send."""

import pytest

from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.service.errors import NotFoundError
from szca_unlock.service.logic.manual_slots import rules_for
from szca_unlock.service.logic.uploads import client_basename


@pytest.mark.parametrize(("kind", "medical", "filled", "missing"), [
    (CertificateKind.ORG, False, set(), ["申请表（经办人签字、加盖单位公章）",
                                         "营业执照复印件（加盖单位公章）"]),
    (CertificateKind.ORG, False, {"application_form", "business_licence"}, []),
    (CertificateKind.NATURAL, False, {"id_scan"}, ["申请人手持身份证"]),
    (CertificateKind.ORG_PERSONAL, False, {"id_in_hand"}, ["身份证扫描件（需加盖单位公章）"]),
    (CertificateKind.NATURAL, True, {"id_scan"}, ["工作证或申请人手持身份证"]),
    (CertificateKind.NATURAL, True, {"id_scan", "work_id"}, []),
    (CertificateKind.NATURAL, True, {"id_scan", "id_in_hand"}, []),
])
def test_missing_documents(kind, medical, filled, missing):
    assert rules_for(kind, medical).missing(filled) == missing


def test_a_slot_of_another_certificate_is_refused_naming_the_right_ones():
    with pytest.raises(NotFoundError) as info:
        rules_for(CertificateKind.NATURAL, False).slot("work_id")
    assert info.value.code == "document.slot_unknown"
    assert "身份证扫描件" in info.value.message and "申请人手持身份证" in info.value.message


def test_the_org_personal_id_scan_asks_for_the_seal():
    slot = rules_for(CertificateKind.ORG_PERSONAL, False).slot("id_scan")
    assert "加盖单位公章" in slot.label and "加盖单位公章" in slot.hint


@pytest.mark.parametrize(("sent", "kept"), [
    ("C:\\Documents and Settings\\u\\桌面\\scan.jpg", "scan.jpg"),
    ("d:\\scan.pdf", "scan.pdf"),
    ("scan.jpg", "scan.jpg"),
    ("../../etc/passwd", "../../etc/passwd"),  # not a drive path: left for the name check
    ("..\\..\\scan.jpg", "..\\..\\scan.jpg"),
])
def test_only_a_windows_drive_path_is_cut_to_its_base_name(sent, kept):
    assert client_basename(sent) == kept
