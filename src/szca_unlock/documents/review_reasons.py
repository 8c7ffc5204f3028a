"""The reviewer's rejection reasons (ORG-MR-9 / PER-MR-7): a fixed list with stable codes.

Codes are stored with the rejection and never change meaning; labels are what the
applicant reads in 我的业务单 next to the reviewer's free text. New reasons are added
at the end; a reason that is no longer offered stays here with ``offered=False`` so
old orders still render.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.domain.errors import ValidationError


class Applies(StrEnum):
    """Which flow a reason makes sense for, so each review screen offers only its own."""

    ORG = "org"  # ORG-MR: application form + business licence
    PERSONAL = "personal"  # PER-MR: ID scan + hand-held photo / work ID
    ORG_PERSONAL = "org_personal"  # PER-MR for 机构个人证书 only (sealed ID scan)
    ANY = "any"


_APPLIES_TO_KIND = {
    CertificateKind.ORG: {Applies.ORG, Applies.ANY},
    CertificateKind.ORG_PERSONAL: {Applies.PERSONAL, Applies.ORG_PERSONAL, Applies.ANY},
    CertificateKind.NATURAL: {Applies.PERSONAL, Applies.ANY},
}


@dataclass(frozen=True, slots=True)
class RejectionReason:
    code: str
    label: str
    applies: Applies
    hint: str  # what the applicant should do, shown under the label
    offered: bool = True


_REASONS: tuple[RejectionReason, ...] = (
    RejectionReason("FORM_NO_SEAL", "申请表未加盖单位公章", Applies.ORG,
                    "请在打印的申请表上加盖单位公章后重新扫描上传"),
    RejectionReason("FORM_NO_SIGNATURE_OR_DATE", "申请表未签名或未填写日期", Applies.ORG,
                    "请经办人在申请表上手写签名并填写申请日期后重新上传"),
    RejectionReason("LICENCE_ILLEGIBLE", "营业执照复印件不清晰", Applies.ORG,
                    "请上传清晰完整、加盖单位公章的营业执照复印件"),
    RejectionReason("ID_SCAN_ILLEGIBLE", "身份证扫描件不清晰/不完整", Applies.PERSONAL,
                    "请把身份证正反两面复印在同一张A4纸上，扫描或拍照后重新上传"),
    RejectionReason("HANDHELD_PHOTO_ILLEGIBLE", "手持身份证照片不清晰", Applies.PERSONAL,
                    "请重新拍摄手持身份证照片，身份证上的所有信息和本人五官须清晰可见"),
    RejectionReason("WATERMARK_INVALID", "资料水印不符合要求（需注明办理数字证书使用）",
                    Applies.ANY,
                    "如需加水印，请注明“办理数字证书使用”"),
    RejectionReason("ID_SCAN_NO_SEAL", "身份证扫描件未加盖单位公章",
                    Applies.ORG_PERSONAL, "机构个人证书的身份证扫描件须加盖单位公章"),
    RejectionReason("WORK_ID_ILLEGIBLE", "工作证信息不清晰", Applies.PERSONAL,
                    "请上传信息清晰的工作证，或上传本人手持身份证照片"),
    RejectionReason("INFO_MISMATCH", "信息与证书不一致", Applies.ANY,
                    "请核对所填信息与证书信息是否一致后修改"),
    RejectionReason("OTHER", "其他", Applies.ANY, "请根据审核意见修改后重新提交"),
)

_BY_CODE = {r.code: r for r in _REASONS}
OTHER = "OTHER"


def all_reasons() -> tuple[RejectionReason, ...]:
    """Every reason ever defined, including retired ones (to render old orders)."""
    return _REASONS


def reasons_for(kind: CertificateKind) -> list[RejectionReason]:
    """The reasons a reviewer may pick for an order on a certificate of this kind."""
    wanted = _APPLIES_TO_KIND[kind]
    return [r for r in _REASONS if r.offered and r.applies in wanted]


def get_reason(code: str) -> RejectionReason:
    try:
        return _BY_CODE[code]
    except KeyError:
        raise ValidationError("review.reason_unknown", "请选择驳回原因", "reason_code") from None


def validate_rejection(codes: Iterable[str], free_text: str | None) -> list[RejectionReason]:
    """At least one known reason; free text required when 其他 is chosen (it says nothing
    by itself). Returns the reasons in list order, without duplicates."""
    chosen = {get_reason(c).code for c in codes}
    if not chosen:
        raise ValidationError("review.reason_required", "请选择驳回原因", "reason_code")
    text = (free_text or "").strip()
    if OTHER in chosen and not text:
        raise ValidationError(
            "review.detail_required", "选择“其他”时请填写具体的驳回原因", "detail"
        )
    if len(text) > 500:
        raise ValidationError("review.detail_too_long", "驳回说明不能超过500个字", "detail")
    return [r for r in _REASONS if r.code in chosen]
