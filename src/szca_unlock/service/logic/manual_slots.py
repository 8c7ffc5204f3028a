"""Which documents a manual-review order needs (ORG-MR-7, PER-MR-6): pure rules.

Organisation: the signed and sealed application form + the business licence.
Personal, non-medical: ID scan + photo holding the ID. Medical: ID scan + work ID, or the
hand-held photo where there is no work ID. For 机构个人证书 the ID scan must carry the
organisation's seal (the reviewer checks; the hint says so).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.service.errors import NotFoundError

_FORMATS = "支持jpg、JPEG、bmp、gif、pdf格式，大小不超过2M"


@dataclass(frozen=True)
class Slot:
    name: str
    label: str
    hint: str


APPLICATION_FORM = Slot("application_form", "申请表（经办人签字、加盖单位公章）",
                        "打印申请表，经办人手写签名并填写申请日期，加盖单位公章后扫描上传。"
                        "所有资料需清晰可见；若需加水印，请注明“办理数字证书使用”。" + _FORMATS)
BUSINESS_LICENCE = Slot("business_licence", "营业执照复印件（加盖单位公章）",
                        "上传加盖单位公章的营业执照复印件，资料需清晰可见；若需加水印，"
                        "请注明“办理数字证书使用”。" + _FORMATS)
_ID_SCAN_HINT = ("请把身份证正反两面复印在同一张A4纸上，通过扫描或拍照形成电子图片上传。"
                 "上传的图片必须真实有效和清晰可见，不得做任何修改。" + _FORMATS)
ID_SCAN = Slot("id_scan", "身份证扫描件", _ID_SCAN_HINT)
ID_SCAN_SEALED = Slot("id_scan", "身份证扫描件（需加盖单位公章）",
                      "机构个人证书的身份证扫描件须加盖单位公章。" + _ID_SCAN_HINT)
ID_IN_HAND = Slot("id_in_hand", "申请人手持身份证",
                  "手持身份证照片，身份证上的所有信息清晰可见，必须能看清证件号码；"
                  "手持证件人的五官清晰可见。照片内容真实有效，不得做任何修改。" + _FORMATS)
WORK_ID = Slot("work_id", "工作证",
               "工作证上的所有信息清晰可见，内容真实有效，不得做任何修改；"
               "若无工作证，可上传申请人手持身份证照片。" + _FORMATS)


@dataclass(frozen=True)
class SlotRules:
    """The slots offered and the groups of which at least one must be filled."""

    slots: tuple[Slot, ...]
    required: tuple[tuple[str, ...], ...]

    def slot(self, name: str) -> Slot:
        for slot in self.slots:
            if slot.name == name:
                return slot
        offered = "、".join(s.label for s in self.slots)
        raise NotFoundError("document.slot_unknown", f"该业务单无需此项材料，请上传：{offered}",
                            "slot")

    def missing(self, filled: Iterable[str]) -> list[str]:
        """Labels of the required groups with nothing uploaded yet, in display order."""
        have = set(filled)
        labels = {s.name: s.label for s in self.slots}
        return ["或".join(labels[n] for n in group) for group in self.required
                if not have.intersection(group)]


def rules_for(kind: CertificateKind, medical: bool) -> SlotRules:
    if kind is CertificateKind.ORG:
        return SlotRules((APPLICATION_FORM, BUSINESS_LICENCE),
                         (("application_form",), ("business_licence",)))
    id_scan = ID_SCAN_SEALED if kind is CertificateKind.ORG_PERSONAL else ID_SCAN
    if medical:
        return SlotRules((id_scan, WORK_ID, ID_IN_HAND), (("id_scan",), ("work_id", "id_in_hand")))
    return SlotRules((id_scan, ID_IN_HAND), (("id_scan",), ("id_in_hand",)))
