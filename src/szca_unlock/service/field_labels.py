"""Chinese names of request fields, and request-validation errors rendered with them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FIELD_LABELS: dict[str, str] = {
    "mobile": "手机号",
    "code": "验证码",
    "certificate_serial": "证书序列号",
    "key_serial": "U-KEY序列号",
    "mode": "解锁方式",
    "method": "验证方式",
    "name": "姓名",
    "id_number": "身份证号",
    "bank_card": "银行卡号",
    "legal_rep_name": "法人姓名",
    "legal_rep_id_number": "法人身份证号",
    "agreements": "服务协议",
    "agreement_id": "协议",
    "version": "协议版本",
    "bank_name": "开户银行",
    "branch_name": "开户支行",
    "account_number": "对公账号",
    "challenge": "挑战数",
    "receipt": "解锁回执",
    "authorisation_id": "解锁授权编号",
    "token_serial": "令牌序列号",
    "letter_version": "授权委托书版本",
    "reason": "原因",
    "document_id": "文件编号",
    "limit": "每页条数",
    "cursor": "翻页参数",
}

_TYPE_MESSAGES: dict[str, str] = {
    "missing": "请填写{label}",
    "string_too_short": "{label}不能为空",
    "string_too_long": "{label}过长",
    "string_type": "{label}格式不正确",
    "string_pattern_mismatch": "{label}格式不正确",
    "enum": "{label}的取值不正确",
    "literal_error": "{label}的取值不正确",
    "json_invalid": "提交的内容不是有效的 JSON",
    "model_attributes_type": "提交的内容格式不正确",
    "dict_type": "提交的内容格式不正确",
    "list_type": "{label}格式不正确",
    "int_parsing": "{label}应为数字",
    "int_type": "{label}应为数字",
    "bool_type": "{label}格式不正确",
    "bool_parsing": "{label}格式不正确",
    "extra_forbidden": "不支持的字段：{label}",
    "greater_than_equal": "{label}超出允许范围",
    "less_than_equal": "{label}超出允许范围",
}


def label_for(field: str) -> str:
    return FIELD_LABELS.get(field, field)


def validation_message(error: Mapping[str, Any]) -> tuple[str | None, str]:
    """(field, Chinese message) for one pydantic error; the field is the innermost
    named location (``body.mobile`` → ``mobile``)."""
    loc = [part for part in error.get("loc", ()) if isinstance(part, str)]
    field = loc[-1] if loc and loc[-1] not in ("body", "query", "path") else None
    label = label_for(field) if field else "请求内容"
    kind = str(error.get("type", ""))
    min_length = (error.get("ctx") or {}).get("min_length", 1)
    if kind == "string_too_short" and min_length > 1:
        kind = "string_pattern_mismatch"  # a fixed-length value (hex) typed too short
    template = _TYPE_MESSAGES.get(kind, "{label}格式不正确")
    return field, template.format(label=label)
