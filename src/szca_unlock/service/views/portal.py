"""The portal pages' own copy: the manual's field labels per person, the agreement ticks,
the drop-downs' entries (label and hint from ``domain.verification_methods``); the pages
render the API's views, this is only what a page shows around them."""

from __future__ import annotations

from typing import Any

from szca_unlock.domain.verification_methods import Proof, Step, rows_of

# The manual's two ticks on 解锁指南: the first covers two agreements, the second one.
TICKS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("agree_service", "我同意接受《电子认证服务协议》《个人信息授权书》",
     ("esign_service", "personal_info")),
    ("agree_sensitive", "我同意接受《敏感个人信息授权书》", ("sensitive_personal_info",)),
)

# The person each step checks, in the manual's words.
STEP_PERSON = {
    Step.OPERATOR: {"name": "经办人姓名", "id_number": "身份证号", "mobile": "手机号",
                    "mobile_hint": "经办人本人实名手机号码；银联验证填写预留在银行的手机号码"},
    Step.ENTERPRISE: {"name": "法人姓名", "id_number": "身份证号", "mobile": "法人手机号",
                      "mobile_hint": "法人本人实名手机号码；银联验证填写法人预留在银行的手机号码"},
    Step.IDENTITY: {"name": "申请人姓名", "id_number": "身份证号码", "mobile": "手机号",
                    "mobile_hint": "本人实名手机号码；银行实名认证填写本人预留在银行的手机号码"},
}
STEP_TITLES = {Step.OPERATOR: "经办人身份认证", Step.ENTERPRISE: "企业身份认证",
               Step.IDENTITY: "身份验证"}


def method_choices(step: Step) -> list[dict[str, Any]]:
    return [{"value": row.method.value, "label": row.label, "hint": row.hint,
             "fields": list(row.check.fields), "sms": row.check.proof is Proof.SMS_CODE}
            for row in rows_of(step)]
