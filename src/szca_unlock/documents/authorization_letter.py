"""The 单位授权委托书 of ORG-RT-7: the organisation authorises the operator to act for it.

The manual's screenshot gives the five fields and the authorisation text (its OCR is
two columns interleaved; the paragraph below is that text put back in reading order,
with the agreement title completed, see docs/decisions/documents.md). The service
records ``LETTER_VERSION`` with the confirmation, so a later wording change never
rewrites what an applicant confirmed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from szca_unlock.domain.validators import mask_id_number

TITLE = "单位授权委托书"
PARAGRAPHS: tuple[str, ...] = (
    "本单位授权上述经办人代办本单位数字证书的有关事宜，代理人在其权限范围内签署的一切有关文件，"
    "我单位均予承认，由此在法律上产生的权利、义务均由委托人享有和承担。",
    "对本次数字证书申请，本单位承诺所填写的内容和提交的证明材料真实有效，并已认真阅读且同意接受"
    "《深圳市电子商务安全证书管理有限公司电子认证服务协议》及数字证书申请表的各项条款，"
    "愿意承担由此引起的一切后果及承担相关法律责任。",
)
_LABELS = ("委托单位", "统一社会信用代码", "经办人姓名", "身份证号", "手机号")


def _version() -> str:
    # The id changes by itself whenever a label or a word of the text changes.
    digest = hashlib.sha256("\n".join((TITLE, *_LABELS, *PARAGRAPHS)).encode()).hexdigest()
    return f"auth-letter-v1-{digest[:12]}"


LETTER_VERSION = _version()


@dataclass(frozen=True, slots=True)
class AuthorizationLetterData:
    """Values as validated by the service (USCC, resident ID, mobile already checked)."""

    organisation_name: str
    uscc: str
    operator_name: str
    operator_id_number: str
    operator_mobile: str


@dataclass(frozen=True, slots=True)
class LetterField:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class AuthorizationLetter:
    version: str
    title: str
    fields: tuple[LetterField, ...]
    paragraphs: tuple[str, ...]

    def as_text(self) -> str:
        lines = [self.title, *(f"{f.label}：{f.value}" for f in self.fields), *self.paragraphs]
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        """The JSON shape the service returns to the page."""
        return {
            "version": self.version,
            "title": self.title,
            "fields": [{"label": f.label, "value": f.value} for f in self.fields],
            "paragraphs": list(self.paragraphs),
        }


def build_authorization_letter(
    data: AuthorizationLetterData, *, mask: bool = True
) -> AuthorizationLetter:
    """The letter filled in for ``data``; ``mask=False`` only for the printed original."""
    id_number = mask_id_number(data.operator_id_number) if mask else data.operator_id_number
    values = (data.organisation_name, data.uscc, data.operator_name, id_number,
              data.operator_mobile)
    return AuthorizationLetter(
        version=LETTER_VERSION,
        title=TITLE,
        fields=tuple(LetterField(label, value.strip()) for label, value in zip(
            _LABELS, values, strict=True)),
        paragraphs=PARAGRAPHS,
    )
