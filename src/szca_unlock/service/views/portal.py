"""The portal pages' own copy: the manual's field labels per person, the method hints of
the drop-downs, the agreement ticks (the pages render the API's views; this is only what a
page shows around them)."""

from __future__ import annotations

from typing import Any

from szca_unlock.domain.verification_methods import STEP_METHODS, Check, Method, Step

# The manual's two ticks on 解锁指南: the first covers two agreements, the second one.
TICKS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("agree_service", "我同意接受《电子认证服务协议》《个人信息授权书》",
     ("esign_service", "personal_info")),
    ("agree_sensitive", "我同意接受《敏感个人信息授权书》", ("sensitive_personal_info",)),
)

# What each check asks for beyond name and ID number, as the manual's forms show it.
CHECK_FIELDS: dict[Check, tuple[str, ...]] = {
    Check.CARRIER: ("mobile",), Check.BANK: ("bank_card", "mobile"), Check.FACE: (),
    Check.DEPOSIT: ("bank_name", "branch_name", "account_number"),
}
# The person each step checks, in the manual's words.
STEP_PERSON = {
    Step.OPERATOR: {"name": "经办人姓名", "id_number": "身份证号", "mobile": "手机号",
                    "mobile_hint": "经办人本人实名手机号码;银联验证填写预留在银行的手机号码"},
    Step.ENTERPRISE: {"name": "法人姓名", "id_number": "身份证号", "mobile": "法人手机号",
                      "mobile_hint": "法人本人实名手机号码;银联验证填写法人预留在银行的手机号码"},
    Step.IDENTITY: {"name": "申请人姓名", "id_number": "身份证号码", "mobile": "手机号",
                    "mobile_hint": "本人实名手机号码;银行实名认证填写本人预留在银行的手机号码"},
}
STEP_TITLES = {Step.OPERATOR: "经办人身份认证", Step.ENTERPRISE: "企业身份认证",
               Step.IDENTITY: "身份验证"}
METHOD_HINTS = {
    Method.CARRIER: "提供本人实名手机号,随机码发送到本人手机号码上,输入随机码进行验证",
    Method.BANK: "提供本人银行账户信息,随机码发送到本人在银行预留的手机号码上,输入随机码进行验证",
    Method.FACE: "使用微信扫一扫功能,在线进行活体认证",
    Method.LEGAL_FACE: "法人本人使用微信扫一扫功能,在线进行活体认证",
    Method.LEGAL_CARRIER: "提供法人实名手机号,随机码发送到法人手机号码上,输入随机码进行验证",
    Method.LEGAL_BANK: "提供法人银行账户信息,随机码发送到法人在银行预留的手机号码上,"
                       "输入随机码进行验证",
    Method.DEPOSIT: "输入企业对公账户信息,深圳CA将向贵司对公账户下发0.01元,备注随机码。"
                    "请及时向贵司财务获取",
}


def method_choices(step: Step) -> list[dict[str, Any]]:
    return [{"value": m.value, "label": label, "hint": METHOD_HINTS[m],
             "fields": list(CHECK_FIELDS[m.check]), "sms": m.check in (Check.CARRIER, Check.BANK)}
            for m, label in STEP_METHODS[step].items()]
